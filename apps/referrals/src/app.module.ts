import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from '@darman/access';
import { EventConsumersModule, MessagingModule, OutboxModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { ReferralsConfig } from './config/referrals.config.js';
import { ReferralsReadModel } from './decisions/referrals-read-model.js';
import { PrismaService } from './prisma/prisma.service.js';
import { ReferralsModule } from './referrals/referrals.module.js';

@Module({})
export class AppModule {
  static register(config: ReferralsConfig): DynamicModule {
    const referrals = ReferralsModule.register(config);
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'referrals', config }),
        DatabaseModule.forRoot(PrismaService),
        MessagingModule.forRoot(),
        OutboxModule.forRoot(),
        AccessModule.forRoot({ jwksUrl: config.IDENTITY_JWKS_URL }),
        EventConsumersModule.forRoot({ groupId: 'darman-referrals', imports: [referrals], projections: [ReferralsReadModel] }),
        referrals,
      ],
    };
  }
}
