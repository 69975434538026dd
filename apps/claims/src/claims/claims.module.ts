import { Module } from '@nestjs/common';
import { BusinessCalendar, loadHolidayFiles } from '@darman/persian';
import { APP_CONFIG } from '@darman/platform';
import type { ClaimsConfig } from '../config/claims.config.js';
import { ClaimsConsumer } from './claims.consumer.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimsQueryService } from './claims-query.service.js';
import { ClaimsReadModel } from './claims-read-model.js';
import { ClaimsRepository } from './claims.repository.js';

/** Claims: the read model folded from `insurer.claims.v1` and the member's claim pages. */
@Module({
  controllers: [ClaimsController, ClaimsConsumer],
  providers: [
    ClaimsRepository,
    ClaimsReadModel,
    ClaimsQueryService,
    {
      provide: BusinessCalendar,
      inject: [APP_CONFIG],
      useFactory: (config: ClaimsConfig) =>
        new BusinessCalendar({ holidays: loadHolidayFiles(config.HOLIDAYS_DIR), thursdayIsBusinessDay: config.THURSDAY_IS_BUSINESS_DAY }),
    },
  ],
  exports: [ClaimsReadModel],
})
export class ClaimsModule {}
