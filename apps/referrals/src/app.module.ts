import { Module, type DynamicModule } from '@nestjs/common';
import { EventConsumersModule, MessagingModule, OutboxModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { ReferralsConfig } from './config/referrals.config.js';
import { DecisionsModule } from './decisions/decisions.module.js';
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
        EventConsumersModule.forRoot({ groupId: 'darman-referrals' }),
        DecisionsModule,
      ],
    };
  }
}
