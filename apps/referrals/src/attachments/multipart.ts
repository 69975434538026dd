import type { FastifyRequest } from 'fastify';
import { AppError, CommonErrors, InputErrors, isStorableString } from '@darman/platform';
import type { UploadedFile } from '../referrals/referrals.service.js';
import { ATTACHMENT_LIMITS, AttachmentErrors } from './inspect-attachment.js';

/** Limits busboy applies while the body streams in: no file grows past maxBytes in memory, and a ninth file is seen and refused. */
export const MULTIPART_LIMITS = {
  fileSize: ATTACHMENT_LIMITS.maxBytes,
  files: ATTACHMENT_LIMITS.maxFiles + 1,
  fields: 20,
  fieldSize: 4_000,
  parts: ATTACHMENT_LIMITS.maxFiles + 21,
};

/**
 * Reads a multipart body part by part. Each file is read into one buffer
 * while it streams, and reading stops with ATTACHMENT_TOO_LARGE as soon as
 * it passes the limit (the rest of the body is not kept). Text fields are
 * returned as strings; a field given twice keeps its last value.
 */
export async function readMultipart(request: FastifyRequest): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, {
      en: 'Send the request as multipart/form-data.',
      fa: 'درخواست باید به صورت multipart/form-data ارسال شود.',
    });
  }
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  try {
    for await (const part of request.parts({ limits: MULTIPART_LIMITS })) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer().catch((error: { code?: string }) => {
          throw error.code === 'FST_REQ_FILE_TOO_LARGE' ? AttachmentErrors.tooLarge(part.fieldname) : error;
        });
        files.push({ field: part.fieldname, filename: part.filename, bytes });
        if (files.length > ATTACHMENT_LIMITS.maxFiles) throw AttachmentErrors.tooMany();
      } else {
        const value = String(part.value);
        if (!isStorableString(value) || !isStorableString(part.fieldname)) throw InputErrors.invalidCharacters(part.fieldname);
        fields[part.fieldname] = value;
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw AttachmentErrors.tooMany();
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_PROTO_VIOLATION') {
      throw CommonErrors.validation([{ field: 'body', code: 'MULTIPART_LIMIT', message: 'too many or too large form fields' }]);
    }
    if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
      throw CommonErrors.validation([{ field: 'body', code: 'MULTIPART_INVALID', message: 'not a multipart body' }]);
    // Anything else busboy raises is a body it cannot read (it ends before the closing boundary, a part header is
    // malformed, the boundary is not the one declared): the client's fault, not a 500.
    throw CommonErrors.validation([{ field: 'body', code: 'MULTIPART_INVALID', message: 'the multipart body could not be read' }]);
  }
  return { fields, files };
}
