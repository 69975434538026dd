import { createHash } from 'node:crypto';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { AppError, type ErrorText } from '@darman/platform';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

/**
 * DOMAIN.md's limits on referral attachments. `maxFiles` is enforced by the caller (it counts the
 * multipart parts); the other two are enforced here.
 */
export const ATTACHMENT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxFiles: 8, maxPixels: 40_000_000 } as const;

/** The limits as plain numbers, so tests and callers can pass their own. */
export type AttachmentLimits = { readonly [K in keyof typeof ATTACHMENT_LIMITS]: number };

/** The only types we store; decided from the bytes, never from the file name or the part's Content-Type. */
export type StoredContentType = 'image/jpeg' | 'image/png' | 'application/pdf';

/** What may be stored: bytes already cleaned (images re-encoded without metadata) and their digest. */
export interface InspectedAttachment {
  contentType: StoredContentType;
  /** The bytes to store: a re-encoded image, or the PDF unchanged. */
  bytes: Buffer;
  size: number;
  /** SHA-256 (lowercase hex) of `bytes`, i.e. of what is stored, not of what was uploaded. */
  sha256: string;
  /** Display label only; never use it to build a path. */
  label: string;
}

export enum AttachmentErrorCode {
  Empty = 'ATTACHMENT_EMPTY',
  TooLarge = 'ATTACHMENT_TOO_LARGE',
  TypeNotAllowed = 'ATTACHMENT_TYPE_NOT_ALLOWED',
  Unsafe = 'ATTACHMENT_UNSAFE',
}

/** Why a file of an allowed type was still refused; the code of the error's detail. */
export type UnsafeReason = 'PDF_ACTIVE_CONTENT' | 'PDF_ENCRYPTED' | 'PDF_UNREADABLE' | 'IMAGE_TOO_MANY_PIXELS' | 'IMAGE_UNREADABLE';

const UNSAFE_TEXT: Record<UnsafeReason, ErrorText> = {
  PDF_ACTIVE_CONTENT: {
    en: 'the PDF contains scripts, actions that launch programs, or embedded files',
    fa: 'فایل PDF حاوی اسکریپت، فرمان اجرای برنامه یا فایل جاسازی‌شده است',
  },
  PDF_ENCRYPTED: {
    en: 'the PDF is encrypted, so it cannot be checked; upload it without a password',
    fa: 'فایل PDF رمزگذاری شده است و بررسی آن ممکن نیست؛ آن را بدون رمز بارگذاری کنید',
  },
  PDF_UNREADABLE: {
    en: 'the PDF has compressed content that cannot be checked',
    fa: 'بخش فشرده‌ی فایل PDF قابل بررسی نیست',
  },
  IMAGE_TOO_MANY_PIXELS: {
    en: 'the image has too many pixels; upload a smaller image',
    fa: 'ابعاد تصویر بیش از حد مجاز است؛ تصویر کوچک‌تری بارگذاری کنید',
  },
  IMAGE_UNREADABLE: { en: 'the image is damaged or cannot be read', fa: 'تصویر خراب است یا خوانده نمی‌شود' },
};

/**
 * The four refusals of an attachment. Each names the multipart `field` in its detail, so a member
 * who sent several files learns which one was refused.
 */
export const AttachmentErrors = {
  empty: (field: string) =>
    new AppError(AttachmentErrorCode.Empty, 400, { en: 'The file is empty.', fa: 'فایل خالی است.' }, [
      { field, code: AttachmentErrorCode.Empty, message: 'file is empty' },
    ]),
  tooLarge: (field: string) =>
    new AppError(AttachmentErrorCode.TooLarge, 413, { en: 'Each file may be at most 5 MB.', fa: 'حجم هر فایل حداکثر ۵ مگابایت است.' }, [
      { field, code: AttachmentErrorCode.TooLarge, message: 'file must be at most 5 MB' },
    ]),
  typeNotAllowed: (field: string) =>
    new AppError(
      AttachmentErrorCode.TypeNotAllowed,
      415,
      { en: 'Only JPEG, PNG or PDF files are accepted.', fa: 'فقط فایل‌های JPEG، PNG یا PDF پذیرفته می‌شوند.' },
      [{ field, code: AttachmentErrorCode.TypeNotAllowed, message: 'file content must be JPEG, PNG or PDF' }],
    ),
  /** More files than a request may hold (ATTACHMENT_LIMITS.maxFiles in all, counting those already added). */
  tooMany: () =>
    new AppError('TOO_MANY_ATTACHMENTS', 400, {
      en: `A request takes at most ${ATTACHMENT_LIMITS.maxFiles} files.`,
      fa: `هر درخواست حداکثر ${ATTACHMENT_LIMITS.maxFiles} فایل می‌پذیرد.`,
    }),
  /** A required file field, or any file at all, was not sent. */
  missing: (field: string) =>
    new AppError('ATTACHMENT_MISSING', 400, { en: `The file "${field}" is required.`, fa: `پیوست «${field}» الزامی است.` }, [
      { field, code: 'ATTACHMENT_MISSING', message: `${field} is required` },
    ]),
  /** `found` (e.g. the PDF name that was seen) goes into the detail only, for support staff. */
  unsafe: (field: string, why: UnsafeReason, found?: string) => {
    const text = UNSAFE_TEXT[why];
    return new AppError(AttachmentErrorCode.Unsafe, 422, { en: `The file was refused: ${text.en}.`, fa: `فایل پذیرفته نشد: ${text.fa}.` }, [
      { field, code: why, message: found ? `${text.en} (${found})` : text.en },
    ]);
  },
};

const EXTENSIONS: Record<StoredContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

const isStoredContentType = (mime: string | undefined): mime is StoredContentType => mime !== undefined && Object.hasOwn(EXTENSIONS, mime);

/**
 * Checks one uploaded file against DOMAIN.md and returns what may be stored. The type comes from the
 * bytes (a renamed executable is refused, a PNG named `scan.pdf` is stored as a PNG); images are
 * re-encoded so their EXIF (GPS position, camera serial) never reaches storage; PDFs are stored as
 * uploaded once no active content is found. Throws an `AttachmentErrors` AppError otherwise.
 */
export async function inspectAttachment(
  input: { field: string; filename?: string; bytes: Buffer },
  limits: Pick<AttachmentLimits, 'maxBytes' | 'maxPixels'> = ATTACHMENT_LIMITS,
): Promise<InspectedAttachment> {
  const { field, filename, bytes } = input;
  if (bytes.length === 0) throw AttachmentErrors.empty(field);
  if (bytes.length > limits.maxBytes) throw AttachmentErrors.tooLarge(field);

  const contentType = (await fileTypeFromBuffer(bytes))?.mime;
  if (!isStoredContentType(contentType)) throw AttachmentErrors.typeNotAllowed(field);

  let stored: Buffer;
  if (contentType === 'application/pdf') {
    // file-type only looks for `%PDF`; a PDF header is `%PDF-` followed by the version.
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw AttachmentErrors.typeNotAllowed(field);
    assertSafePdf(field, bytes);
    stored = bytes;
  } else {
    stored = await reencodeImage(field, bytes, contentType, limits.maxPixels);
  }
  return {
    contentType,
    bytes: stored,
    size: stored.length,
    sha256: createHash('sha256').update(stored).digest('hex'),
    label: sanitizeLabel(filename, EXTENSIONS[contentType]),
  };
}

/**
 * Reads the dimensions from the header (no pixel is decoded, so a decompression bomb costs nothing),
 * then decodes under the same pixel limit and re-encodes in the same format. Re-encoding drops every
 * metadata block (EXIF, XMP, ICC, PNG text chunks); `.rotate()` first applies the EXIF orientation,
 * which would otherwise be lost with the metadata and leave a portrait photo lying on its side.
 */
async function reencodeImage(field: string, bytes: Buffer, contentType: 'image/jpeg' | 'image/png', maxPixels: number): Promise<Buffer> {
  let pixels: number;
  try {
    // No limit here: sharp would otherwise refuse the header read and we could not tell a bomb from a broken file.
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    pixels = width * height;
  } catch {
    throw AttachmentErrors.unsafe(field, 'IMAGE_UNREADABLE');
  }
  if (pixels > maxPixels) throw AttachmentErrors.unsafe(field, 'IMAGE_TOO_MANY_PIXELS', `${pixels} pixels`);
  try {
    const image = sharp(bytes, { limitInputPixels: maxPixels }).rotate();
    return await (contentType === 'image/jpeg' ? image.jpeg({ quality: 90 }) : image.png()).toBuffer();
  } catch {
    throw AttachmentErrors.unsafe(field, 'IMAGE_UNREADABLE');
  }
}

/** Names that make a PDF do something when opened, or carry another file. */
const PDF_ACTIVE_NAMES = new Set(['JavaScript', 'JS', 'Launch', 'EmbeddedFile', 'EmbeddedFiles', 'FileAttachment', 'RichMedia', 'XFA']);

/** Stream filter names, full and abbreviated (readers accept both). */
const PDF_FILTER_NAMES = new Set([
  'ASCIIHexDecode',
  'AHx',
  'ASCII85Decode',
  'A85',
  'LZWDecode',
  'LZW',
  'FlateDecode',
  'Fl',
  'RunLengthDecode',
  'RL',
  'CCITTFaxDecode',
  'CCF',
  'DCTDecode',
  'DCT',
  'JBIG2Decode',
  'JPXDecode',
  'Crypt',
]);

/** Total inflated size of a PDF's object streams; more is treated as a zip bomb. */
const PDF_MAX_INFLATED_BYTES = 20 * 1024 * 1024;

/** A name token: `/` then regular characters up to a PDF whitespace or delimiter. */
const PDF_NAME = /\/([^\0\t\n\f\r ()<>[\]{}/%]*)/g;

/**
 * A stream keyword after its dictionary, with the comments and whitespace readers tolerate in
 * between; like readers, the data starts on the line after the keyword.
 */
const PDF_STREAM = />>(?:[\0\t\n\f\r ]|%[^\r\n]*)*stream[^\r\n]*(?:\r\n|\r|\n)/g;

/** An object stream's data starts with pairs of integers (object number, offset). */
const OBJECT_STREAM_HEADER = /^[\0\t\n\f\r ]*\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]/;

/** Names in `text`, with `#xx` escapes decoded so `/Java#53cript` reads as `/JavaScript`. */
function pdfNames(text: string): string[] {
  return Array.from(text.matchAll(PDF_NAME), ([, name]) =>
    name!.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
}

function assertNoActiveNames(field: string, text: string): void {
  for (const name of pdfNames(text)) {
    // Strings and streams of an encrypted PDF (object streams included) cannot be read without the key.
    if (name === 'Encrypt') throw AttachmentErrors.unsafe(field, 'PDF_ENCRYPTED');
    if (PDF_ACTIVE_NAMES.has(name)) throw AttachmentErrors.unsafe(field, 'PDF_ACTIVE_CONTENT', `/${name}`);
  }
}

/**
 * Refuses a PDF that carries JavaScript, launch actions or embedded files, by looking for the names
 * that introduce them. The syntax outside streams is scanned as it is; stream data is skipped (it is
 * images, fonts and page drawing, never objects, and random binary would sooner or later contain
 * `/JS`) except for object streams, which hold objects compressed out of sight: those are inflated,
 * under a total output cap, and scanned. An object stream we cannot read the same way as a reader
 * (another filter, a predictor, a filter chain, broken data) is refused rather than trusted.
 */
function assertSafePdf(field: string, bytes: Buffer): void {
  const text = bytes.toString('latin1');
  const outside: string[] = [];
  const objectStreams: { dict: string[]; start: number }[] = [];
  let scannedTo = 0;
  for (const match of text.matchAll(PDF_STREAM)) {
    if (match.index < scannedTo) continue; // inside the data of the previous stream
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break; // no data to skip: the rest is scanned as syntax
    const dict = pdfNames(text.slice(Math.max(0, text.lastIndexOf('obj', match.index)), match.index));
    // `/Type /ObjStm` is optional for some readers; `/N` with `/First` is what they need.
    if (dict.includes('ObjStm') || (dict.includes('N') && dict.includes('First'))) objectStreams.push({ dict, start });
    outside.push(text.slice(scannedTo, start));
    scannedTo = end;
  }
  outside.push(text.slice(scannedTo));
  assertNoActiveNames(field, outside.join(' '));

  let budget = PDF_MAX_INFLATED_BYTES;
  for (const { dict, start } of objectStreams) {
    const filters = dict.filter((name) => PDF_FILTER_NAMES.has(name));
    const plainFlate = filters.length === 1 && (filters[0] === 'FlateDecode' || filters[0] === 'Fl');
    if (!plainFlate || dict.includes('DecodeParms') || dict.includes('DP')) throw AttachmentErrors.unsafe(field, 'PDF_UNREADABLE');
    let inflated: string;
    try {
      // Inflate to the end of the file rather than to the next `endstream`, which the data itself may contain:
      // zlib stops at the end of the compressed stream. Z_SYNC_FLUSH keeps what a truncated stream yields.
      const output = inflateSync(bytes.subarray(start), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(budget, 1),
      });
      budget -= output.length;
      inflated = output.toString('latin1');
    } catch {
      throw AttachmentErrors.unsafe(field, 'PDF_UNREADABLE');
    }
    // Still compressed (e.g. a second filter given by an indirect reference) or not an object stream at all.
    if (!OBJECT_STREAM_HEADER.test(inflated)) throw AttachmentErrors.unsafe(field, 'PDF_UNREADABLE');
    assertNoActiveNames(field, inflated);
  }
}

const MAX_LABEL_CHARS = 120;
/** An extension longer than this is not worth keeping when a label is shortened. */
const MAX_KEPT_EXTENSION_CHARS = 10;

/**
 * The uploaded file name as a display label. It may be shown in the portal and in a download's
 * Content-Disposition but never becomes a path: only the part after the last `/` or `\` is kept,
 * in NFC, without control or bidi-override characters (which can disguise `exe.pdf` as `fdp.exe`)
 * and without the characters Windows forbids in names, with whitespace collapsed and leading or
 * trailing dots and spaces trimmed; Persian letters, digits and the zero-width non-joiner stay.
 * A label longer than 120 characters is shortened before its extension. When nothing is left, the
 * label is `attachment.<ext>` with `ext` of the detected type.
 */
export function sanitizeLabel(filename: string | undefined, ext: string): string {
  const basename = (filename ?? '').split(/[/\\]/).pop()!;
  const cleaned = basename
    .normalize('NFC')
    .replace(/(?!\s)[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069<>:"|?*]/gu, '')
    .replace(/\s+/g, ' ')
    .replace(/^[. ]+|[. ]+$/g, '');
  return shorten(cleaned) || `attachment.${ext}`;
}

function shorten(label: string): string {
  const chars = Array.from(label); // code points, so a surrogate pair is never cut in half
  if (chars.length <= MAX_LABEL_CHARS) return label;
  const dot = chars.lastIndexOf('.');
  const extension = dot > 0 && chars.length - dot <= MAX_KEPT_EXTENSION_CHARS ? chars.slice(dot) : [];
  const stem = chars
    .slice(0, MAX_LABEL_CHARS - extension.length)
    .join('')
    .replace(/[. ]+$/, '');
  return stem + extension.join('');
}
