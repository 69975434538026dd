import { Module, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG } from '@darman/platform';
import type { GatewayConfig } from '../config/gateway.config.js';
import { RateLimitGuard } from './rate-limit.guard.js';

/** Guessing routes (login, activation, reset, and the public letter verification) get a tighter per-IP limit of their own. */
function isCredentialRoute(context: ExecutionContext): boolean {
  const request = context.switchToHttp().getRequest<{ method: string; url: string }>();
  if (request.method === 'GET') return /^\/api\/v1\/referrals\/verify(\?|$)/.test(request.url);
  return request.method === 'POST' && /^\/api\/v1\/auth\/(login|activation\/|password\/)/.test(request.url);
}

/** Per-IP rate limits on every route but health and metrics, answered as 429 RATE_LIMITED with Retry-After. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: GatewayConfig) => ({
        throttlers: [
          { name: 'per-ip', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE },
          { name: 'auth', ttl: 60_000, limit: config.AUTH_RATE_LIMIT_PER_MINUTE, skipIf: (context) => !isCredentialRoute(context) },
        ],
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
