import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PgTransactionalDb } from '@darman/messaging';
import { APP_CONFIG, ROOT_LOGGER, type ServiceConfig } from '@darman/platform';
import type { Logger } from 'pino';

/**
 * The connection pool of the member's write transactions (a request and its
 * files, documents added, cancelling), on node-postgres rather than Prisma:
 * Prisma's raw path serialises every parameter to JSON (a 1 MB file becomes a
 * base64 string and back) before the driver sees it, where node-postgres
 * sends a Buffer as a binary parameter (BENCHMARKS.md, referral uploads).
 */
@Injectable()
export class ReferralsWriteDb extends PgTransactionalDb implements OnModuleDestroy {
  constructor(@Inject(APP_CONFIG) config: ServiceConfig, @Inject(ROOT_LOGGER) logger: Logger) {
    super(config.DATABASE_URL, logger, 5, 'darman-referrals-writes');
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
