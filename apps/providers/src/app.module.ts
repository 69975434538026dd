import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@darman/contracts';
import { ConsumerModule, MessagingModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import type { ProvidersConfig } from './config/providers.config.js';
import { ProvidersController } from './directory/providers.controller.js';
import { ProvidersEventsHandler } from './directory/providers-events.handler.js';
import { ProvidersRepository } from './directory/providers.repository.js';
import { ProvidersService } from './directory/providers.service.js';
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
        ConsumerModule.register({ groupId: 'darman-providers', topics: [Topics.insurerProviders], handler: ProvidersEventsHandler }),
      ],
      controllers: [ProvidersController],
      providers: [ProvidersRepository, ProvidersService],
    };
  }
}
