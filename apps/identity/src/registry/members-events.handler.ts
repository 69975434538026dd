import { Injectable } from '@nestjs/common';
import { applyMemberRegistryEvents, rebuildMemberRegistry } from '@darman/access';
import type { AnnouncementPublishedData, InsurerUpsertedData } from '@darman/contracts';
import {
  latestBySubject,
  loadSubjectHistory,
  reprojectAll,
  subjectsOf,
  type ConsumedEvent,
  type EventHandler,
  type RebuildableProjection,
  type SqlExecutor,
} from '@darman/messaging';

/** Latest state of each subject of one event type, folded from the stored history (order-tolerant). */
async function latestOf<T>(tx: SqlExecutor, eventType: string, subjects: string[]): Promise<T[]> {
  if (subjects.length === 0) return [];
  const history = await loadSubjectHistory(tx, [eventType], subjects);
  return latestBySubject(history).map((event) => event.data as T);
}

/**
 * Projects `insurer.members.v1` into identity's registry: contracts and
 * enrolments (shared library, libs/access), insurers and announcements.
 */
@Injectable()
export class MembersEventsHandler implements EventHandler, RebuildableProjection {
  /** Bump the version when the projection changes: the registry is then rebuilt from the stored events at start. */
  readonly projection = { name: 'identity-registry', version: 1 };

  async handle(events: ConsumedEvent[], tx: SqlExecutor): Promise<void> {
    await applyMemberRegistryEvents(tx, events);
    await this.projectInsurers(tx, subjectsOf(events, ['InsurerUpserted']));
    await this.projectAnnouncements(tx, subjectsOf(events, ['AnnouncementPublished']));
  }

  async rebuild(tx: SqlExecutor): Promise<void> {
    await rebuildMemberRegistry(tx);
    await tx.$executeRawUnsafe('DELETE FROM insurers');
    await tx.$executeRawUnsafe('DELETE FROM announcements');
    await reprojectAll(tx, ['InsurerUpserted'], (subjects) => this.projectInsurers(tx, subjects));
    await reprojectAll(tx, ['AnnouncementPublished'], (subjects) => this.projectAnnouncements(tx, subjects));
  }

  private async projectInsurers(tx: SqlExecutor, subjects: string[]): Promise<void> {
    const insurers = await latestOf<InsurerUpsertedData>(tx, 'InsurerUpserted', subjects);
    if (insurers.length > 0) {
      await tx.$executeRawUnsafe(
        `INSERT INTO insurers (code, name, logo_url, updated_at)
         SELECT r."insurerCode", r.name, r."logoUrl", now() FROM jsonb_to_recordset($1::jsonb) AS r("insurerCode" text, name text, "logoUrl" text)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, logo_url = EXCLUDED.logo_url, updated_at = now()`,
        JSON.stringify(insurers),
      );
    }
  }

  private async projectAnnouncements(tx: SqlExecutor, subjects: string[]): Promise<void> {
    const announcements = await latestOf<AnnouncementPublishedData>(tx, 'AnnouncementPublished', subjects);
    if (announcements.length > 0) {
      await tx.$executeRawUnsafe(
        `INSERT INTO announcements (id, insurer_code, title, body, published_at, expires_at)
         SELECT r."announcementId", r."insurerCode", r.title, r.body, r."publishedAt", r."expiresAt"
           FROM jsonb_to_recordset($1::jsonb) AS r("announcementId" text, "insurerCode" text, title text, body text,
                                                   "publishedAt" timestamptz, "expiresAt" timestamptz)
         ON CONFLICT (id) DO UPDATE SET insurer_code = EXCLUDED.insurer_code, title = EXCLUDED.title, body = EXCLUDED.body,
           published_at = EXCLUDED.published_at, expires_at = EXCLUDED.expires_at`,
        JSON.stringify(announcements),
      );
    }
  }
}
