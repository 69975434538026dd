import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { AppError } from '@darman/platform';
import sharp from 'sharp';
import {
  GPS_MARKER,
  bytesOfSize,
  encryptedPdf,
  executable,
  jpegWithGpsExif,
  jpegWithOrientation,
  pdf,
  pdfDocument,
  pdfOfSize,
  pdfStream,
  pdfWithCompressedJavaScript,
  pdfWithEmbeddedFile,
  pdfWithHexEscapedJavaScript,
  pdfWithJavaScript,
  pdfWithLaunch,
  pdfWithObjectStream,
  plainPng,
  pngBomb,
} from './attachment-fixtures.js';
import { ATTACHMENT_LIMITS, type AttachmentLimits, inspectAttachment, sanitizeLabel } from './inspect-attachment.js';

const field = 'attachments';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const js = '<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>';

/** The refusal as `{ code, status, detail }`, or the stored attachment's type when it was accepted. */
async function outcome(bytes: Buffer, filename = 'file', limits: AttachmentLimits = ATTACHMENT_LIMITS) {
  try {
    return (await inspectAttachment({ field, filename, bytes }, limits)).contentType;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, status: error.statusCode, detail: error.details.map((d) => `${d.field}:${d.code}`).join() };
  }
}

describe('inspectAttachment: size', () => {
  it('refuses an empty file', async () => {
    expect(await outcome(Buffer.alloc(0), 'scan.pdf')).toEqual({
      code: 'ATTACHMENT_EMPTY',
      status: 400,
      detail: 'attachments:ATTACHMENT_EMPTY',
    });
  });

  it('refuses 5 MB + 1 byte before looking at the content, and accepts a PDF of exactly 5 MB', async () => {
    expect(await outcome(bytesOfSize(5 * 1024 * 1024 + 1))).toEqual({
      code: 'ATTACHMENT_TOO_LARGE',
      status: 413,
      detail: 'attachments:ATTACHMENT_TOO_LARGE',
    });
    expect(await outcome(pdfOfSize(5 * 1024 * 1024 + 1))).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    const exactly = pdfOfSize(5 * 1024 * 1024);
    expect(exactly.length).toBe(5 * 1024 * 1024);
    expect(await outcome(exactly)).toBe('application/pdf');
  });
});

describe('inspectAttachment: type from the content', () => {
  it('refuses an executable named .jpg, and filler bytes named .pdf', async () => {
    const refused = { code: 'ATTACHMENT_TYPE_NOT_ALLOWED', status: 415, detail: 'attachments:ATTACHMENT_TYPE_NOT_ALLOWED' };
    expect(await outcome(executable(), 'photo.jpg')).toEqual(refused);
    expect(await outcome(bytesOfSize(1000), 'scan.pdf')).toEqual(refused);
  });

  it('refuses other types that file-type recognises (GIF) and a "%PDF" header without the version dash', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    expect(await outcome(gif, 'scan.png')).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED' });
    expect(await outcome(Buffer.concat([Buffer.from('%PDF'), pdf().subarray(5)]), 'scan.pdf')).toMatchObject({
      code: 'ATTACHMENT_TYPE_NOT_ALLOWED',
    });
  });

  it('stores a PNG named scan.pdf as image/png, labelled with its name', async () => {
    const stored = await inspectAttachment({ field, filename: 'scan.pdf', bytes: plainPng(8, 6) });
    expect(stored.contentType).toBe('image/png');
    expect(stored.label).toBe('scan.pdf');
    expect(await sharp(stored.bytes).metadata()).toMatchObject({ format: 'png', width: 8, height: 6 });
  });
});

describe('inspectAttachment: PDF', () => {
  it('accepts a clean PDF unchanged, with the SHA-256 of the stored bytes', async () => {
    const file = pdf();
    const stored = await inspectAttachment({ field, filename: 'نامه ارجاع.pdf', bytes: file });
    expect(stored).toEqual({
      contentType: 'application/pdf',
      bytes: file,
      size: file.length,
      sha256: sha256(file),
      label: 'نامه ارجاع.pdf',
    });
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['/JavaScript', pdfWithJavaScript()],
    ['hex-escaped /Java#53cript and /J#53', pdfWithHexEscapedJavaScript()],
    ['JavaScript inside a Flate-compressed object stream', pdfWithCompressedJavaScript()],
    ['a /Launch action', pdfWithLaunch()],
    ['an /EmbeddedFile', pdfWithEmbeddedFile()],
    ['a /RichMedia annotation', pdfDocument({ objects: ['<< /Type /Annot /Subtype /RichMedia >>'] })],
    ['an /XFA form', pdfDocument({ catalog: '/AcroForm << /Fields [] /XFA 6 0 R >> ', objects: [pdfStream('', '<xdp/>')] })],
    [
      'JavaScript in an object stream without /Type /ObjStm',
      pdfDocument({ catalog: '/OpenAction 7 0 R ', objects: [pdfStream('/N 1 /First 4 /Filter /FlateDecode', deflateSync(`7 0\n${js}`))] }),
    ],
    [
      'JavaScript in an object stream whose keyword follows a comment',
      pdfDocument({
        catalog: '/OpenAction 7 0 R ',
        objects: [
          Buffer.concat([
            Buffer.from('<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >> % compressed\nstream\n'),
            deflateSync(`7 0\n${js}`),
            Buffer.from('\nendstream'),
          ]),
        ],
      }),
    ],
  ])('refuses a PDF with %s as unsafe', async (_, file) => {
    expect(await outcome(file, 'scan.pdf')).toEqual({ code: 'ATTACHMENT_UNSAFE', status: 422, detail: 'attachments:PDF_ACTIVE_CONTENT' });
  });

  it('accepts an /OpenAction that only opens a page', async () => {
    expect(await outcome(pdfDocument({ catalog: '/OpenAction [3 0 R /Fit] ' }))).toBe('application/pdf');
  });

  it('accepts a clean compressed object stream', async () => {
    const file = pdfWithObjectStream(['<< /Title (Referral) /Producer (Scanner) >>', '[1 2 3]']);
    expect(await outcome(file)).toBe('application/pdf');
  });

  it('does not mistake image data that happens to contain "/JS " for a script', async () => {
    const image = Buffer.concat([bytesOfSize(100, 0xd8), Buffer.from('/JS /Launch '), bytesOfSize(100, 0xd9)]);
    const file = pdfDocument({ objects: [pdfStream('/Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode', image)] });
    expect(await outcome(file)).toBe('application/pdf');
  });

  it('refuses an encrypted PDF, saying it cannot be checked', async () => {
    const error = await inspectAttachment({ field, bytes: encryptedPdf() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'ATTACHMENT_UNSAFE', statusCode: 422, details: [{ field, code: 'PDF_ENCRYPTED' }] });
    expect((error as AppError).text.en).toMatch(/encrypted/);
    expect((error as AppError).text.fa).toMatch(/رمزگذاری/);
  });

  const objectStream = (dict: string, data: Buffer) => pdfDocument({ catalog: '/OpenAction 7 0 R ', objects: [pdfStream(dict, data)] });
  it.each([
    ['another filter (ASCIIHexDecode), which the scan cannot see through', pdfWithObjectStream([js], { filter: 'ASCIIHexDecode' })],
    ['a filter given by an indirect reference', objectStream('/Type /ObjStm /N 1 /First 4 /Filter 9 0 R', deflateSync(`7 0\n${js}`))],
    [
      'a predictor',
      objectStream(
        '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >>',
        deflateSync(`7 0\n${js}`),
      ),
    ],
    [
      'data compressed twice (a duplicate /Filter key)',
      objectStream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Filter 9 0 R', deflateSync(deflateSync(`7 0\n${js}`))),
    ],
    [
      'broken Flate data',
      objectStream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', Buffer.from('x\x9c not really deflate', 'latin1')),
    ],
    ['a zip bomb (21 MB of spaces in a few kilobytes)', pdfWithObjectStream(['<< >>' + ' '.repeat(21 * 1024 * 1024)])],
  ])('refuses an object stream with %s', async (_, file) => {
    expect(file.length).toBeLessThan(100_000);
    expect(await outcome(file)).toEqual({ code: 'ATTACHMENT_UNSAFE', status: 422, detail: 'attachments:PDF_UNREADABLE' });
  });
});

describe('inspectAttachment: images', () => {
  it('refuses a decompression-bomb PNG from its header, quickly', async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(1000);
    const started = Date.now();
    expect(await outcome(bomb, 'scan.png')).toEqual({
      code: 'ATTACHMENT_UNSAFE',
      status: 422,
      detail: 'attachments:IMAGE_TOO_MANY_PIXELS',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('accepts exactly the pixel limit and refuses one pixel more', async () => {
    const limits = { ...ATTACHMENT_LIMITS, maxPixels: 100 };
    expect(await outcome(plainPng(10, 10), 'a.png', limits)).toBe('image/png');
    expect(await outcome(plainPng(101, 1), 'a.png', limits)).toMatchObject({ detail: 'attachments:IMAGE_TOO_MANY_PIXELS' });
  });

  it('refuses a PNG or JPEG that cannot be decoded', async () => {
    const png = plainPng(16, 16);
    const truncatedPng = png.subarray(0, png.length - 20);
    const jpeg = await jpegWithGpsExif();
    const truncatedJpeg = jpeg.subarray(0, jpeg.length - 200);
    for (const broken of [truncatedPng, truncatedJpeg]) {
      expect(await outcome(broken)).toEqual({ code: 'ATTACHMENT_UNSAFE', status: 422, detail: 'attachments:IMAGE_UNREADABLE' });
    }
  });

  it('stores a phone photo without its EXIF or GPS position, at the same size, with the hash of the stored bytes', async () => {
    const photo = await jpegWithGpsExif(64, 48);
    expect((await sharp(photo).metadata()).exif).toBeDefined(); // the fixture does carry them
    expect(photo.includes(GPS_MARKER)).toBe(true);

    const stored = await inspectAttachment({ field, filename: 'IMG_2041.JPG', bytes: photo });
    const metadata = await sharp(stored.bytes).metadata();
    expect(stored.contentType).toBe('image/jpeg');
    expect(metadata).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    for (const trace of [GPS_MARKER, 'DarmanCam', 'Exif\0\0']) expect(stored.bytes.includes(trace)).toBe(false);
    expect(stored.size).toBe(stored.bytes.length);
    expect(stored.sha256).toBe(sha256(stored.bytes));
    expect(stored.sha256).not.toBe(sha256(photo));
  });

  it('applies the EXIF orientation before dropping it', async () => {
    const photo = await jpegWithOrientation(6, 64, 32);
    const metadata = await sharp((await inspectAttachment({ field, bytes: photo })).bytes).metadata();
    expect(metadata).toMatchObject({ width: 32, height: 64 });
    expect(metadata.orientation).toBeUndefined();
  });

  it('drops PNG text chunks', async () => {
    const stored = await inspectAttachment({ field, bytes: plainPng(8, 8, { text: 'Taken at 35.68N 51.38E' }) });
    expect(stored.bytes.includes('35.68N')).toBe(false);
    expect(stored.sha256).toBe(sha256(stored.bytes));
  });
});

describe('sanitizeLabel', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\Ali\\Desktop\\scan.pdf', 'scan.pdf'],
    ['..\\..\\windows\\system32\\evil.jpg', 'evil.jpg'],
    ['nul\0l\x07.pdf', 'null.pdf'],
    ['a\tb\r\nc.png', 'a b c.png'],
    ['  ...hidden.pdf. . ', 'hidden.pdf'],
    ['re<p>o:r"t|?*.pdf', 'report.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['نامه\u200Cی ارجاع ۱۴۰۳.pdf', 'نامه\u200Cی ارجاع ۱۴۰۳.pdf'],
    ['cafe\u0301.jpg', 'caf\u00e9.jpg'],
  ])('%j → %j', (filename, label) => {
    expect(sanitizeLabel(filename, 'pdf')).toBe(label);
  });

  it('falls back to attachment.<ext> when nothing is left', () => {
    expect(sanitizeLabel(undefined, 'jpg')).toBe('attachment.jpg');
    expect(sanitizeLabel('', 'png')).toBe('attachment.png');
    expect(sanitizeLabel('../..', 'pdf')).toBe('attachment.pdf');
    expect(sanitizeLabel('folder/', 'pdf')).toBe('attachment.pdf');
    expect(sanitizeLabel('\x01\x02 ?*', 'pdf')).toBe('attachment.pdf');
  });

  it('keeps at most 120 characters, cutting before the extension and never inside a character', () => {
    const persian = sanitizeLabel(`${'پ'.repeat(200)}.pdf`, 'pdf');
    expect(Array.from(persian)).toHaveLength(120);
    expect(persian).toBe(`${'پ'.repeat(116)}.pdf`);
    const emoji = sanitizeLabel(`${'😀'.repeat(130)}`, 'jpg');
    expect(Array.from(emoji)).toEqual(Array(120).fill('😀'));
    expect(sanitizeLabel('x'.repeat(120), 'pdf')).toBe('x'.repeat(120));
    // The cut lands after a space, which is trimmed; an "extension" too long to be one is cut with the rest.
    expect(sanitizeLabel(`${'a'.repeat(115)} ${'b'.repeat(20)}.pdf`, 'pdf')).toBe(`${'a'.repeat(115)}.pdf`);
    expect(sanitizeLabel(`${'a'.repeat(100)}.${'b'.repeat(50)}`, 'pdf')).toBe(`${'a'.repeat(100)}.${'b'.repeat(19)}`);
  });
});
