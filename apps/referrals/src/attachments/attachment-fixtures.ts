import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * Builders of attachment files for the unit spec and the e2e tests: each is made from scratch, so
 * the tests need no binary files in the repository and say in code what each file contains.
 */

/** A text stored in the GPS block of `jpegWithGpsExif`; the stored file must not contain it. */
export const GPS_MARKER = 'DARMAN-GPS-DATUM';

/** A phone photo: a JPEG whose EXIF carries the camera and a GPS position (Tehran). */
export async function jpegWithGpsExif(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#6a8caf' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'DarmanCam', Model: 'Referral 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '35/1 41/1 2/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '51/1 23/1 20/1',
        GPSMapDatum: GPS_MARKER,
      },
    })
    .toBuffer();
}

/** A JPEG whose EXIF orientation asks viewers to rotate it (6: 90° clockwise, so it displays `height`×`width`). */
export async function jpegWithOrientation(orientation: number, width = 64, height = 32): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#af8c6a' } })
    .jpeg()
    .withMetadata({ orientation })
    .toBuffer();
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A PNG made of the given chunks around an 8-bit RGB header claiming `width`×`height`. */
function png(width: number, height: number, idat: Buffer, extraChunks: Buffer[] = []): Buffer {
  const header = Buffer.alloc(13); // bit depth 8, colour type 2 (RGB), deflate, adaptive filter, no interlace
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    ...extraChunks,
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid RGB PNG (a gradient); `text` adds a tEXt "Comment" chunk, metadata that must not be stored. */
export function plainPng(width: number, height: number, options: { text?: string } = {}): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height); // each row: filter byte 0, then RGB triples
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows[at] = (x * 255) / Math.max(width - 1, 1);
      rows[at + 1] = (y * 255) / Math.max(height - 1, 1);
      rows[at + 2] = 128;
    }
  }
  const text = options.text === undefined ? [] : [pngChunk('tEXt', Buffer.from(`Comment\0${options.text}`, 'latin1'))];
  return png(width, height, deflateSync(rows), text);
}

/**
 * A decompression bomb: the header claims `width`×`height` (400 megapixels by default, 1.2 GB of
 * RGB once decoded) in a file of a few hundred bytes with valid CRCs; the image data holds one row.
 */
export function pngBomb(width = 20_000, height = 20_000): Buffer {
  return png(width, height, deflateSync(Buffer.alloc(width * 3 + 1)));
}

/** A PDF stream object body: `dict` entries plus the computed /Length, then the data. */
export function pdfStream(dict: string, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return Buffer.concat([
    Buffer.from(`<< ${dict && `${dict} `}/Length ${bytes.length} >>\nstream\n`, 'latin1'),
    bytes,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

export interface PdfParts {
  /** The page's content stream. */
  content?: string;
  /** Extra entries of the document catalog, e.g. `/OpenAction 6 0 R`. */
  catalog?: string;
  /** Bodies of objects 6, 7, … (objects 1–5 are the catalog, pages, page, content and font). */
  objects?: (string | Buffer)[];
  /** Extra entries of the trailer, e.g. `/Encrypt 6 0 R`. */
  trailer?: string;
  /** Pads the file with a comment (before `startxref`) to exactly this many bytes. */
  padTo?: number;
}

/** A one-page PDF with a correct cross-reference table, built from `parts`. */
export function pdfDocument(parts: PdfParts = {}): Buffer {
  const { content = 'BT /F1 12 Tf 72 720 Td (Referral letter) Tj ET', catalog = '', objects = [], trailer = '', padTo } = parts;
  const bodies = [
    `<< /Type /Catalog /Pages 2 0 R ${catalog}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    pdfStream('', content),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...objects,
  ];
  const chunks = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets = bodies.map((body, index) => {
    const object = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    chunks.push(object);
    const at = offset;
    offset += object.length;
    return at;
  });
  const xref = [
    'xref',
    `0 ${bodies.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n `),
  ];
  chunks.push(Buffer.from(`${xref.join('\n')}\ntrailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailer}>>\n`, 'latin1'));
  const end = Buffer.from(`startxref\n${offset}\n%%EOF\n`, 'latin1');
  if (padTo === undefined) return Buffer.concat([...chunks, end]);
  // The comment goes after the cross-reference table, so no offset moves.
  const padding = padTo - chunks.reduce((sum, chunk) => sum + chunk.length, end.length);
  if (padding !== 0 && padding < 2) throw new Error(`cannot pad a PDF to ${padTo} bytes`);
  return Buffer.concat([...chunks, Buffer.from(padding ? `%${'x'.repeat(padding - 2)}\n` : '', 'latin1'), end]);
}

/** A minimal valid one-page PDF; `body` is the page's content stream. */
export function pdf(body?: string): Buffer {
  return pdfDocument({ content: body });
}

/** A valid PDF of exactly `size` bytes, padded with a comment. */
export function pdfOfSize(size: number): Buffer {
  return pdfDocument({ padTo: size });
}

/** A PDF that runs JavaScript when opened. */
export function pdfWithJavaScript(): Buffer {
  return pdfDocument({ catalog: '/OpenAction 6 0 R ', objects: ['<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>'] });
}

/** The same action with its names hex-escaped (`/Java#53cript`, `/J#53`), as a scanner-evading PDF would write it. */
export function pdfWithHexEscapedJavaScript(): Buffer {
  return pdfDocument({ catalog: '/OpenAction 6 0 R ', objects: ['<< /Type /Action /S /Java#53cript /J#53 (app.alert\\(1\\)) >>'] });
}

/**
 * A PDF whose object 6 is a FlateDecode object stream holding objects 7, 8, … with the given bodies
 * (`filter` other than FlateDecode stores them hex-encoded instead). Compressed objects belong in a
 * cross-reference stream; the classic table here is enough for scanners and tolerant readers.
 */
export function pdfWithObjectStream(
  bodies: string[],
  options: { catalog?: string; filter?: 'FlateDecode' | 'ASCIIHexDecode' } = {},
): Buffer {
  const { catalog = '', filter = 'FlateDecode' } = options;
  let offset = 0;
  const pairs: string[] = [];
  bodies.forEach((body, index) => {
    pairs.push(`${7 + index} ${offset}`);
    offset += body.length + 1;
  });
  const header = `${pairs.join(' ')}\n`;
  const data = Buffer.from(header + bodies.map((body) => `${body}\n`).join(''), 'latin1');
  const encoded = filter === 'FlateDecode' ? deflateSync(data) : Buffer.from(`${data.toString('hex')}>`, 'latin1');
  return pdfDocument({
    catalog,
    objects: [pdfStream(`/Type /ObjStm /N ${bodies.length} /First ${header.length} /Filter /${filter}`, encoded)],
  });
}

/** A PDF whose JavaScript action is hidden in a compressed object stream (nothing visible in the plain syntax). */
export function pdfWithCompressedJavaScript(): Buffer {
  return pdfWithObjectStream(['<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>'], { catalog: '/OpenAction 7 0 R ' });
}

/** A PDF that asks the reader to launch a program when opened. */
export function pdfWithLaunch(): Buffer {
  return pdfDocument({ catalog: '/OpenAction << /S /Launch /F (cmd.exe) /NewWindow true >> ' });
}

/** A PDF carrying an embedded file (an attached `.exe`). */
export function pdfWithEmbeddedFile(): Buffer {
  return pdfDocument({
    catalog: '/Names << /EmbeddedFiles << /Names [(invoice.exe) 6 0 R] >> >> ',
    objects: ['<< /Type /Filespec /F (invoice.exe) /EF << /F 7 0 R >> >>', pdfStream('/Type /EmbeddedFile', 'MZ\x90\x00')],
  });
}

/** A password-protected PDF (standard security handler, RC4 40-bit). */
export function encryptedPdf(): Buffer {
  return pdfDocument({
    trailer: '/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ',
    objects: [`<< /Filter /Standard /V 1 /R 2 /O <${'a'.repeat(64)}> /U <${'b'.repeat(64)}> /P -44 >>`],
  });
}

/** A Linux executable: an ELF header followed by some code bytes. */
export function executable(): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header); // \x7fELF, 64-bit, little-endian, version 1
  header.writeUInt16LE(2, 16); // e_type: executable
  header.writeUInt16LE(0x3e, 18); // e_machine: x86-64
  header.writeUInt32LE(1, 20); // e_version
  return Buffer.concat([header, Buffer.from([0x48, 0x31, 0xc0, 0xc3]), Buffer.alloc(256, 0x90)]);
}

/** `size` bytes of filler (`a`), of no recognisable type: for size limits, which are checked first. */
export function bytesOfSize(size: number, fill = 0x61): Buffer {
  return Buffer.alloc(size, fill);
}
