import { Injectable, Module, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { APP_CONFIG } from '../platform.module.js';
import { CommonErrors } from '../errors/app-error.js';
import { isCredentialRoute } from './credential-routes.js';

export interface RateLimitOptions {
  /** Where the public routes start: `/api/v1` at the gateway, '' at a service. */
  prefix: string;
  /** Config keys of the two limits (requests per client IP per minute); `perIp` absent: only credential routes are limited. */
  perIp?: string;
  credentials: string;
}

@Module({})
export class RateLimitModule {
  /**
   * Per-IP rate limits, answered as 429 RATE_LIMITED (API shape) with
   * Retry-After: every route but health and metrics (`perIp`), and the
   * credential routes tighter (`credentials`). The client IP is Fastify's
   * `request.ip`, which believes `X-Forwarded-For` only from TRUST_PROXY peers:
   * the gateway relays the client's address, so identity limits the same
   * client whether it is reached through the gateway or directly.
   *
   * Imported as `@darman/platform/http/rate-limit.js`, not from the library's
   * index: @nestjs/throttler is CommonJS requiring the ESM-only @nestjs/common,
   * which Node 20 loads but jest's module system does not, so code and tests
   * that import `@darman/platform` must not load it.
   */
  static forRoot(options: RateLimitOptions): DynamicModule {
    @Injectable()
    class RateLimitGuard extends ThrottlerGuard {
      // Global guards also run on a service's Kafka handlers (inheritAppConfig): only HTTP requests are limited.
      protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
        if (context.getType() !== 'http') return true;
        const url = context.switchToHttp().getRequest<{ url: string }>().url;
        return /^\/(health|metrics)(\/|\?|$)/.test(url);
      }

      protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
        throw CommonErrors.rateLimited(Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire)));
      }
    }

    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: Record<string, number>) => ({
            throttlers: [
              ...(options.perIp ? [{ name: 'per-ip', ttl: 60_000, limit: config[options.perIp]! }] : []),
              {
                name: 'auth',
                ttl: 60_000,
                limit: config[options.credentials]!,
                skipIf: (context: ExecutionContext) => !isCredentialRoute(context.switchToHttp().getRequest(), options.prefix),
              },
            ],
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
