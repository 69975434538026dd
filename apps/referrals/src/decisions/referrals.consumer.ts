import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MemberRegistryProjection, type RegistryEventType } from '@darman/access';
import type { ContractEvent } from '@darman/contracts';
import { EventBatchContext } from '@darman/messaging';
import type { Decision } from '../referrals/referral-state.js';
import { ReferralDecisions } from './referral-decisions.js';
import { ReferralProviders, type PROVIDER_EVENT_TYPES } from './referral-providers.js';

/**
 * The referrals service's Kafka entry points, one transaction per batch:
 * `insurer.members.v1` feeds its copy of the member registry,
 * `insurer.providers.v1` its copy of provider capabilities, and
 * `insurer.referrals.v1` the unit's decisions on requests.
 */
@Controller()
export class ReferralsConsumer {
  constructor(
    private readonly registry: MemberRegistryProjection,
    private readonly providers: ReferralProviders,
    private readonly decisions: ReferralDecisions,
  ) {}

  @EventPattern(['ContractUpserted', 'MemberEnrolled', 'MemberUpdated', 'MemberLeft'])
  async members(@Payload() events: ContractEvent<RegistryEventType>[], @Ctx() context: EventBatchContext): Promise<void> {
    await this.registry.apply(context.tx, events);
  }

  @EventPattern(['ProviderUpserted', 'ProviderRemoved'])
  async providerEvents(
    @Payload() events: ContractEvent<(typeof PROVIDER_EVENT_TYPES)[number]>[],
    @Ctx() context: EventBatchContext,
  ): Promise<void> {
    await this.providers.project(context.tx, [...new Set(events.map((e) => e.subject))]);
  }

  @EventPattern(['ReferralDocumentsRequested', 'ReferralExamRequired', 'ReferralApproved', 'ReferralRejected'])
  async decisionEvents(@Payload() events: Decision[], @Ctx() context: EventBatchContext): Promise<void> {
    context.reject(...(await this.decisions.apply(context.tx, events)));
  }
}
