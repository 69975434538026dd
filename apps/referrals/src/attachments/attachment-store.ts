import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { DocumentKind } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { DATABASE } from '@darman/platform';
import type { InspectedAttachment } from './inspect-attachment.js';

export interface StoredFile {
  contentType: string;
  size: number;
  sha256: string;
  label: string;
  body: Readable;
}

/**
 * Where attachment bytes live. Behind this interface so that an object store
 * can take them over: metadata stays in `referral_attachments` either way,
 * and `put` runs inside the request's transaction (a store outside the
 * database would write first and delete on rollback).
 */
export abstract class AttachmentStore {
  abstract put(tx: SqlExecutor, trackingCode: string, id: string, kind: DocumentKind, file: InspectedAttachment, at: string): Promise<void>;
  /** The file of this request, or null (also when the id belongs to another request). */
  abstract open(trackingCode: string, id: string): Promise<StoredFile | null>;
}

/** Bytes in the referrals database (`bytea`), next to their metadata: one transaction, one backup. */
@Injectable()
export class PostgresAttachmentStore extends AttachmentStore {
  constructor(@Inject(DATABASE) private readonly db: SqlExecutor) {
    super();
  }

  async put(tx: SqlExecutor, trackingCode: string, id: string, kind: DocumentKind, file: InspectedAttachment, at: string): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO referral_attachments (id, tracking_code, kind, content_type, size, sha256, label, content, added_at)
       VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)`,
      id,
      trackingCode,
      kind,
      file.contentType,
      file.size,
      file.sha256,
      file.label,
      file.bytes,
      at,
    );
  }

  async open(trackingCode: string, id: string): Promise<StoredFile | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [row] = await this.db.$queryRawUnsafe<
      { content_type: string; size: number; sha256: string; label: string; content: Uint8Array }[]
    >(
      `SELECT content_type, size, sha256, label, content FROM referral_attachments WHERE tracking_code = $1 AND id = $2::uuid`,
      trackingCode,
      id,
    );
    if (!row) return null;
    return {
      contentType: row.content_type,
      size: row.size,
      sha256: row.sha256,
      label: row.label,
      body: Readable.from([Buffer.from(row.content)]),
    };
  }
}
