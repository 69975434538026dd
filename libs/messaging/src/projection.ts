import type { Logger } from 'pino';
import { INBOX_TABLE } from './inbox.js';
import { sleep } from './topic-namer.js';
import type { SqlExecutor, TransactionalDb } from './sql.js';

export const PROJECTION_VERSIONS_TABLE = 'projection_versions';

/**
 * A read model that can be rebuilt from the stored events (the inbox). Its
 * version is recorded in `projection_versions`; when the code's version
 * differs (a new projection, or a changed one) the service rebuilds the read
 * model before it starts consuming, so events stored before the projection
 * existed are not lost to deduplication.
 */
export interface RebuildableProjection {
  readonly projection: { name: string; version: number };
  rebuild(tx: SqlExecutor): Promise<void>;
}

export function isRebuildable(handler: unknown): handler is RebuildableProjection {
  const candidate = handler as Partial<RebuildableProjection> | undefined;
  return typeof candidate?.rebuild === 'function' && typeof candidate.projection?.name === 'string';
}

/** The advisory lock a rebuild holds exclusively and each consumer batch shares. */
export function projectionLockKey(projection: RebuildableProjection): number {
  let hash = 0;
  for (const ch of `projection:${projection.projection.name}`) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

/** Re-projects every stored subject of these types, a chunk at a time (the body of most rebuilds). */
export async function reprojectAll(
  tx: SqlExecutor,
  eventTypes: readonly string[],
  project: (subjects: string[]) => Promise<unknown>,
  chunkSize = 2_000,
): Promise<void> {
  const subjects = await storedSubjects(tx, eventTypes);
  for (let i = 0; i < subjects.length; i += chunkSize) await project(subjects.slice(i, i + chunkSize));
}

/** Distinct subjects of stored events of these types, for a rebuild to fold one chunk at a time. */
export async function storedSubjects(tx: SqlExecutor, eventTypes: readonly string[]): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ subject: string }[]>(
    `SELECT DISTINCT subject FROM ${INBOX_TABLE} WHERE event_type = ANY($1::text[]) ORDER BY subject`,
    [...eventTypes],
  );
  return rows.map((r) => r.subject);
}

/**
 * Rebuilds the projection when its recorded version is not the code's (or
 * always, with `force`), in one transaction under an advisory lock so only
 * one replica does it. Returns whether it rebuilt.
 */
export async function rebuildProjection(db: TransactionalDb, projection: RebuildableProjection, force = false): Promise<boolean> {
  const { name, version } = projection.projection;
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', projectionLockKey(projection));
      const [row] = await tx.$queryRawUnsafe<{ version: number }[]>(
        `SELECT version FROM ${PROJECTION_VERSIONS_TABLE} WHERE name = $1`,
        name,
      );
      if (!force && row?.version === version) return false;
      await projection.rebuild(tx);
      await tx.$executeRawUnsafe(
        `INSERT INTO ${PROJECTION_VERSIONS_TABLE} (name, version, rebuilt_at) VALUES ($1, $2, now())
         ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, rebuilt_at = now()`,
        name,
        version,
      );
      return true;
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
}

/** At start: brings the projection to the code's version, retrying while the database is away. */
export async function ensureProjectionVersion(db: TransactionalDb, projection: RebuildableProjection, logger: Logger): Promise<void> {
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      const started = Date.now();
      if (await rebuildProjection(db, projection)) {
        logger.info({ projection: projection.projection, ms: Date.now() - started }, 'read model rebuilt from the stored events');
      }
      return;
    } catch (error) {
      logger.warn({ err: error, projection: projection.projection.name }, 'could not check the projection version; retrying');
      await sleep(delay);
    }
  }
}
