import { postgresPoolOptions } from '@darman/platform';
import pg from 'pg';
import type { Logger } from 'pino';
import type { SqlExecutor, TransactionalDb, TransactionOptions } from './sql.js';

/** Values come back as Prisma's raw queries return them: int8 as bigint, date as a Date at UTC midnight. */
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === pg.types.builtins.INT8) return (value: string) => BigInt(value);
    if (oid === pg.types.builtins.DATE) return (value: string) => new Date(`${value}T00:00:00Z`);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

class TransactionExpiredError extends Error {
  constructor(ms: number) {
    super(`transaction exceeded its ${ms} ms timeout and was rolled back`);
    this.name = 'TransactionExpiredError';
  }
}

/**
 * The consumers' SQL connection: node-postgres directly, behind the same
 * `SqlExecutor`/`TransactionalDb` shape as a Prisma client. Projection
 * batches send one large JSON parameter per statement, and Prisma's raw
 * path serialises every parameter to JSON and parses it back before the
 * driver sees it, then converts every result value: at 10,000 events/s that
 * was a sixth of the claims service's CPU (BENCHMARKS.md). Prisma stays the
 * client for everything else; migrations are unchanged.
 */
export class PgTransactionalDb implements TransactionalDb {
  private readonly pool: pg.Pool;

  /** `applicationName` tells its connections apart in pg_stat_activity (the consumers' are `darman-consumer`). */
  constructor(connectionString: string, logger?: Logger, max = 5, applicationName = 'darman-consumer') {
    this.pool = new pg.Pool({
      ...postgresPoolOptions(connectionString),
      max,
      types: TYPES,
      connectionTimeoutMillis: 10_000,
      // Batch statements have large cost estimates but run in milliseconds: JIT compiling them took longer than running them.
      options: '-c jit=off',
      // Operators (and the kill test) tell the consumers' connections apart in pg_stat_activity.
      application_name: applicationName,
    });
    // An idle connection the server dropped must not crash the process; the pool replaces it.
    this.pool.on('error', (error) => logger?.warn({ err: error }, 'idle database connection lost'));
  }

  async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return (await this.pool.query(query, values)).rows as T;
  }

  async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return (await this.pool.query(query, values)).rowCount ?? 0;
  }

  /**
   * Runs `fn` in one transaction on one connection: committed when it
   * resolves, rolled back when it throws or outlives `timeout`, as Prisma's
   * interactive transactions are: a statement running at the deadline is
   * stopped by PostgreSQL's `statement_timeout`, and no statement starts after
   * it. (`maxWait` is covered by the pool's 10 s connection timeout.)
   */
  async $transaction<R>(fn: (tx: SqlExecutor) => Promise<R>, options: TransactionOptions = {}): Promise<R> {
    const timeout = options.timeout ?? 5_000;
    const client = await this.pool.connect();
    // While checked out, a client's connection errors are ours to handle (the pool listens only to idle ones):
    // without a listener a dropped connection would be an uncaught 'error' and end the process.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken ??= error);
    client.on('error', onError);
    let expired = false;
    let finished = false;
    const timer = setTimeout(() => (expired = true), timeout);
    const run = async (query: string, values: unknown[]) => {
      if (finished) throw new Error('transaction already finished');
      if (expired) throw new TransactionExpiredError(timeout);
      return client.query(query, values);
    };
    const tx: SqlExecutor = {
      $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await run(query, values)).rows as T,
      $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await run(query, values)).rowCount ?? 0,
    };
    try {
      // No statement outlives the deadline (server side), and none starts after it (`run`).
      await client.query(`BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeout))}`);
      const result = await fn(tx);
      if (expired) throw new TransactionExpiredError(timeout);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is broken: it is destroyed rather than returned to the pool.
      if (!broken) await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
      throw error;
    } finally {
      finished = true;
      clearTimeout(timer);
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async $disconnect(): Promise<void> {
    await this.pool.end();
  }
}
