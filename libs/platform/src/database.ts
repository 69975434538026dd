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
