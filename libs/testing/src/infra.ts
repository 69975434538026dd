import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, dropDatabase, ensureDatabase } from '@darman/db';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Broker of the test run (set by the global setup or by the caller). */
export function testBrokers(): string {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through `npm test` or the jest global setup');
  return brokers;
}

/** PostgreSQL server of the test run; databases are created on it per test file. */
export function testPostgresServer(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

export function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A short unique token for names of databases, topics and groups owned by one test file. */
export function uniqueToken(): string {
  return `${process.env.JEST_WORKER_ID ?? '0'}${randomBytes(3).toString('hex')}`;
}

/** Creates a fresh database for `service` with its migrations applied; returns its URL. */
export async function createServiceDatabase(service: string, name = `it_${service}_${uniqueToken()}`): Promise<string> {
  const url = withDatabaseName(testPostgresServer(), name);
  await dropDatabase(url);
  await ensureDatabase(url);
  await applyMigrations({ databaseUrl: url, migrationsDir: path.join(REPO_ROOT, 'apps', service, 'prisma', 'migrations') });
  return url;
}

export { dropDatabase };

/** Polls until `probe` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
