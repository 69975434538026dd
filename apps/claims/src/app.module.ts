import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@darman/contracts';
import { ConsumerModule, MessagingModule } from '@darman/messaging';
import { ClaimsEventsHandler } from './claims/claims-events.handler.js';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { ClaimsConfig } from './config/claims.config.js';
import { PrismaService } from './prisma/prisma.service.js';

@Module({})
export class AppModule {
  static register(config: ClaimsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'claims', config }),
        DatabaseModule.forRoot(PrismaService),
        MessagingModule.forRoot(),
        ConsumerModule.register({
          groupId: 'darman-claims',
          topics: [Topics.insurerClaims, Topics.insurerMembers],
          handler: ClaimsEventsHandler,
        }),
      ],
    };
  }
}
