import { Module, type DynamicModule } from '@nestjs/common';
import { SERVICE_TOKEN_VERIFIER, ServiceClientGuard, ServiceTokenVerifier } from '@darman/access';
import { BusinessCalendar, loadHolidayFiles } from '@darman/persian';
import { AttachmentStore, PostgresAttachmentStore } from '../attachments/attachment-store.js';
import type { ReferralsConfig } from '../config/referrals.config.js';
import { ReferralDecisions } from '../decisions/referral-decisions.js';
import { ReferralProviders } from '../decisions/referral-providers.js';
import { ReferralsConsumer } from '../decisions/referrals.consumer.js';
import { ReferralsReadModel } from '../decisions/referrals-read-model.js';
import { ExpiryJob } from '../expiry/expiry.job.js';
import { InsurerAttachmentsController } from './insurer-attachments.controller.js';
import { Clock } from './clock.js';
import { ReferralsController } from './referrals.controller.js';
import { ReferralsRepository } from './referrals.repository.js';
import { ReferralsService } from './referrals.service.js';
import { TestClockController } from './test-clock.controller.js';
import { TrackingCodes } from './tracking-code.js';
import { ReferralsWriteDb } from './write-db.js';

/** Referral letters: the member's requests and files, the unit's decisions, expiry, and the centres' verification. */
@Module({})
export class ReferralsModule {
  static register(config: ReferralsConfig): DynamicModule {
    return {
      module: ReferralsModule,
      controllers: [
        ReferralsController,
        InsurerAttachmentsController,
        ReferralsConsumer,
        ...(config.TEST_CLOCK && config.NODE_ENV !== 'production' ? [TestClockController] : []),
      ],
      providers: [
        Clock,
        TrackingCodes,
        ReferralsWriteDb,
        ReferralsRepository,
        ReferralProviders,
        ReferralDecisions,
        ReferralsReadModel,
        ReferralsService,
        ExpiryJob,
        { provide: AttachmentStore, useClass: PostgresAttachmentStore },
        { provide: SERVICE_TOKEN_VERIFIER, useFactory: () => ServiceTokenVerifier.fromJwksUrl(config.IDENTITY_JWKS_URL) },
        ServiceClientGuard,
        {
          provide: BusinessCalendar,
          useFactory: () =>
            new BusinessCalendar({
              holidays: loadHolidayFiles(config.HOLIDAYS_DIR),
              thursdayIsBusinessDay: config.THURSDAY_IS_BUSINESS_DAY,
            }),
        },
      ],
      exports: [ReferralsReadModel],
    };
  }
}
