import { Module, type DynamicModule } from '@nestjs/common';
import { AccessModule } from '@darman/access';
import { EventConsumersModule, MessagingModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import { ClaimsModule } from './claims/claims.module.js';
import { ClaimsReadModel } from './claims/claims-read-model.js';
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
        AccessModule.forRoot({ jwksUrl: config.IDENTITY_JWKS_URL }),
        EventConsumersModule.forRoot({
          groupId: 'darman-claims',
          // Larger transactions: the fold's set-based SQL costs per statement far more than per row (BENCHMARKS.md).
          maxBatchSize: 5_000,
          imports: [ClaimsModule],
          projections: [ClaimsReadModel],
        }),
        ClaimsModule,
      ],
    };
  }
}
