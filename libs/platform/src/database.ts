import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit, type Type } from '@nestjs/common';
import { ReadinessRegistry } from './health/readiness.js';

/** Injection token of the service's own Prisma client (whatever its generated class). */
export const DATABASE = Symbol('DATABASE');

export interface DatabaseClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $disconnect(): Promise<void>;
}

/**
 * Registers a service's Prisma client under DATABASE, adds the `database`
 * readiness check and disconnects on shutdown (after consumers have stopped:
 * Nest runs shutdown hooks of importing modules first).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(clientClass: Type<DatabaseClient>): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [clientClass, { provide: DATABASE, useExisting: clientClass }, DatabaseLifecycle],
      exports: [clientClass, DATABASE],
    };
  }
}

class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: DatabaseClient,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', async () => {
      await this.db.$queryRawUnsafe('SELECT 1');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.$disconnect().catch(() => undefined);
  }
}

/** PostgreSQL driver options shared by every service's Prisma client. */
export function postgresPoolOptions(url: string) {
  return {
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  };
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

/**
 * One page of a list query and the total it is a page of, in one statement.
 * `matched` selects every matching row (its output columns are what the page
 * returns, plus whatever `orderBy` names); `params` are its `$n` values. The
 * total is counted even for a page past the end, which a window count on the
 * page's own rows cannot do.
 */
export async function queryPage<T, H extends Record<string, unknown> = Record<string, never>>(
  db: Pick<DatabaseClient, '$queryRawUnsafe'>,
  matched: string,
  orderBy: string,
  params: unknown[],
  page: PageRequest,
  head?: PageHead,
): Promise<{ rows: T[]; total: number; head: H }> {
  const rows = await db.$queryRawUnsafe<(T & { page_total: number; page_row: number | null })[]>(
    pageSql(matched, orderBy, params.length, head),
    ...params,
    page.pageSize,
    (page.page - 1) * page.pageSize,
  );
  const first = (rows[0] ?? {}) as Record<string, unknown>;
  const headColumns = head ? Object.keys(head.columns) : [];
  return {
    total: rows[0]?.page_total ?? 0,
    head: Object.fromEntries(headColumns.map((c) => [c, first[c] ?? null])) as H,
    rows: rows
      .filter((r) => r.page_row !== null)
      .map((r) => {
        const { page_total, page_row, ...row } = r as Record<string, unknown>;
        for (const c of headColumns) delete row[c];
        return row as unknown as T;
      }),
  };
}

/**
 * Statements that the page depends on, answered in the same statement: `ctes`
 * are common table expressions placed before `matched` (which may use them),
 * `columns` scalar expressions over them (name → SQL), returned as `head`.
 */
export interface PageHead {
  ctes: string;
  columns: Record<string, string>;
}

/** The statement queryPage runs; its last two parameters are the limit and the offset. */
export function pageSql(matched: string, orderBy: string, paramCount: number, head?: PageHead): string {
  const headColumns = head ? Object.entries(head.columns).map(([name, sql]) => `(${sql}) AS ${name}, `) : [];
  return `WITH ${head ? `${head.ctes}, ` : ''}matched AS (${matched})
     SELECT ${headColumns.join('')}(SELECT count(*)::int FROM matched) AS page_total, page.*
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT ordered.*, row_number() OVER () AS page_row
                    FROM (SELECT * FROM matched ORDER BY ${orderBy} LIMIT $${paramCount + 1} OFFSET $${paramCount + 2}) AS ordered) AS page
         ON true
      ORDER BY page.page_row`;
}
