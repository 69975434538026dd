import { Module, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { PlatformModule } from '@darman/platform';
import { AuthController } from './auth/auth.controller.js';
import { JwtStrategy, MemberAuthGuard } from './auth/jwt.strategy.js';
import { SERVICE_CLIENTS } from './clients/clients.js';
import type { GatewayConfig } from './config/gateway.config.js';
import { SystemHealthController } from './health/system-health.controller.js';
import { ClaimsController } from './claims/claims.controller.js';
import { MeController } from './members/me.controller.js';
import { ProvidersController } from './providers/providers.controller.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/** Credential-guessing routes (login, activation, reset) get a tighter per-IP limit of their own. */
function isCredentialRoute(context: ExecutionContext): boolean {
  const request = context.switchToHttp().getRequest<{ method: string; url: string }>();
  return request.method === 'POST' && /^\/api\/v1\/auth\/(login|activation\/|password\/)/.test(request.url);
}

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'gateway', config }),
        PassportModule,
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'per-ip', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE },
            { name: 'auth', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_MINUTE, skipIf: (context) => !isCredentialRoute(context) },
          ],
        }),
      ],
      controllers: [SystemHealthController, AuthController, MeController, ClaimsController, ProvidersController],
      providers: [...SERVICE_CLIENTS, JwtStrategy, MemberAuthGuard, { provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
