import { Injectable } from '@nestjs/common';
import type { AnnouncementPublishedData } from '@darman/contracts';
import type { SqlExecutor } from '@darman/messaging';
import { jsonUpsertSql, queryPage, type PageRequest } from '@darman/platform';
import { PrismaService } from '../prisma/prisma.service.js';

export interface AnnouncementRow {
  id: string;
  title: string;
  body: string;
  published_at: Date;
  expires_at: Date | null;
}

const UPSERT_ANNOUNCEMENTS = jsonUpsertSql(
  'announcements',
  ['id'],
  {
    id: ['text', 'announcementId'],
    insurer_code: 'text',
    title: 'text',
    body: 'text',
    published_at: 'timestamptz',
    expires_at: 'timestamptz',
  },
  { updatedAt: false },
);

/** The only code that touches `announcements` (projected from AnnouncementPublished). */
@Injectable()
export class AnnouncementsRepository {
  constructor(private readonly db: PrismaService) {}

  async upsert(tx: SqlExecutor, announcements: AnnouncementPublishedData[]): Promise<void> {
    if (announcements.length > 0) await tx.$executeRawUnsafe(UPSERT_ANNOUNCEMENTS, JSON.stringify(announcements));
  }

  async deleteAll(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM announcements');
  }

  /** Current announcements of these insurers, newest first: published, not expired. */
  current(insurerCodes: string[], page: PageRequest): Promise<{ rows: AnnouncementRow[]; total: number }> {
    return queryPage<AnnouncementRow>(
      this.db,
      `SELECT a.id, a.title, a.body, a.published_at, a.expires_at FROM announcements a
        WHERE a.insurer_code = ANY($1::text[]) AND a.published_at <= now() AND (a.expires_at IS NULL OR a.expires_at > now())`,
      'published_at DESC, id',
      [insurerCodes],
      page,
    );
  }
}
