import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@darman/contracts';
import { ConsumerModule, MessagingModule, OutboxModule, StoreOnlyHandler } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { ReferralsConfig } from './config/referrals.config.js';
import { PrismaService } from './prisma/prisma.service.js';

@Module({})
export class AppModule {
  static register(config: ReferralsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'referrals', config }),
        DatabaseModule.forRoot(PrismaService),
        MessagingModule.forRoot(),
        OutboxModule.forRoot(),
        ConsumerModule.register({
          groupId: 'darman-referrals',
          topics: [Topics.insurerReferrals, Topics.insurerProviders],
          handler: StoreOnlyHandler,
        }),
      ],
    };
  }
}
