import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@darman/contracts';
import { ConsumerModule, MessagingModule } from '@darman/messaging';
import { ACCESS_TOKEN_VERIFIER, CallerGuard, JwtAccessTokenVerifier } from '@darman/access';
import { ClaimsController } from './claims/claims.controller.js';
import { ClaimsEventsHandler } from './claims/claims-events.handler.js';
import { ClaimsQueryService } from './claims/claims-query.service.js';
import { ClaimsRepository } from './claims/claims.repository.js';
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
          // Larger transactions: the fold's set-based SQL costs per statement far more than per row (BENCHMARKS.md).
          maxBatchSize: 5_000,
        }),
      ],
      controllers: [ClaimsController],
      providers: [
        ClaimsRepository,
        ClaimsQueryService,
        CallerGuard,
        { provide: ACCESS_TOKEN_VERIFIER, useValue: JwtAccessTokenVerifier.fromJwksUrl(config.IDENTITY_JWKS_URL) },
      ],
    };
  }
}
