import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@darman/contracts';
import { ConsumerModule, MessagingModule, OutboxModule, StoreOnlyHandler } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { IdentityConfig } from './config/identity.config.js';
import { PrismaService } from './prisma/prisma.service.js';

@Module({})
export class AppModule {
  static register(config: IdentityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'identity', config }),
        DatabaseModule.forRoot(PrismaService),
        MessagingModule.forRoot(),
        OutboxModule.forRoot(),
        ConsumerModule.register({ groupId: 'darman-identity', topics: [Topics.insurerMembers], handler: StoreOnlyHandler }),
      ],
    };
  }
}
