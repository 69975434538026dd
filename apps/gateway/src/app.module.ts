import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { PlatformModule } from '@darman/platform';
import { SERVICE_CLIENTS } from './clients/clients.js';
import type { GatewayConfig } from './config/gateway.config.js';
import { SystemHealthController } from './health/system-health.controller.js';
import { RateLimitGuard } from './rate-limit.guard.js';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'gateway', config }),
        ThrottlerModule.forRoot({ throttlers: [{ name: 'per-ip', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }] }),
      ],
      controllers: [SystemHealthController],
      providers: [...SERVICE_CLIENTS, { provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
