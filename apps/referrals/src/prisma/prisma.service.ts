import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, postgresPoolOptions, type ServiceConfig } from '@darman/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

/** The referrals service's own database client (darman_referrals). */
@Injectable()
export class PrismaService extends PrismaClient {
  constructor(@Inject(APP_CONFIG) config: ServiceConfig) {
    super({ adapter: new PrismaPg(postgresPoolOptions(config.DATABASE_URL)) });
  }
}
