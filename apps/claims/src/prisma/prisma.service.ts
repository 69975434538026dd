import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, postgresPoolOptions, type ServiceConfig } from '@darman/platform';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

/** The claims service's own database client (darman_claims). */
@Injectable()
export class PrismaService extends PrismaClient {
  constructor(@Inject(APP_CONFIG) config: ServiceConfig) {
    super({ adapter: new PrismaPg(postgresPoolOptions(config.DATABASE_URL)) });
  }
}
