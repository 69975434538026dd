import { Module, type DynamicModule } from '@nestjs/common';
import { EventConsumersModule, MessagingModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { ProvidersConfig } from './config/providers.config.js';
import { ProvidersDirectory } from './directory/providers-directory.js';
import { ProvidersModule } from './directory/providers.module.js';
import { PrismaService } from './prisma/prisma.service.js';

@Module({})
export class AppModule {
  static register(config: ProvidersConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'providers', config }),
        DatabaseModule.forRoot(PrismaService),
        MessagingModule.forRoot(),
        EventConsumersModule.forRoot({ groupId: 'darman-providers', imports: [ProvidersModule], projections: [ProvidersDirectory] }),
        ProvidersModule,
      ],
    };
  }
}
