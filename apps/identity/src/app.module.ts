import { Module, type DynamicModule } from '@nestjs/common';
import { ACCESS_TOKEN_VERIFIER, AccessModule } from '@darman/access';
import { EventConsumersModule, MessagingModule, OutboxModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import { RateLimitModule } from '@darman/platform/http/rate-limit.js';
import { AuthModule } from './auth/auth.module.js';
import { SigningKeysModule } from './auth/signing-keys.module.js';
import { SigningKeysService } from './auth/signing-keys.service.js';
import type { IdentityConfig } from './config/identity.config.js';
import { MeModule } from './me/me.module.js';
import { PrismaService } from './prisma/prisma.service.js';
import { IdentityRegistry } from './registry/identity-registry.js';
import { RegistryModule } from './registry/registry.module.js';

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
        // Identity verifies access tokens with its own keys (no round trip to itself).
        AccessModule.forRoot({
          imports: [SigningKeysModule],
          verifier: { provide: ACCESS_TOKEN_VERIFIER, useExisting: SigningKeysService },
        }),
        EventConsumersModule.forRoot({ groupId: 'darman-identity', imports: [RegistryModule], projections: [IdentityRegistry] }),
        RateLimitModule.forRoot({ prefix: '', credentials: 'AUTH_RATE_LIMIT_PER_MINUTE' }),
        AuthModule,
        MeModule,
        RegistryModule,
      ],
    };
  }
}
