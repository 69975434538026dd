import { Module, type DynamicModule } from '@nestjs/common';
import { SessionRevocationsModule } from '@darman/access';
import { PlatformModule } from '@darman/platform';
import { AuthModule } from './auth/auth.module.js';
import { ClaimsModule } from './claims/claims.module.js';
import type { GatewayConfig } from './config/gateway.config.js';
import { DocsModule } from './docs/docs.module.js';
import { HealthModule } from './health/health.module.js';
import { MeModule } from './members/me.module.js';
import { ReferralsModule } from './referrals/referrals.module.js';
import { ProvidersModule } from './providers/providers.module.js';
import { GatewayRateLimitModule } from './rate-limit/rate-limit.module.js';

/** The gateway: the platform (config, logs, errors, validation, health, metrics), per-IP rate limits, and one module per feature. */
@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'gateway', config }),
        SessionRevocationsModule.forRoot(),
        GatewayRateLimitModule,
        HealthModule,
        AuthModule,
        MeModule,
        ClaimsModule,
        ProvidersModule,
        ReferralsModule,
        DocsModule,
      ],
    };
  }
}
