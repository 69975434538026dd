import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MemberRegistryProjection, type RegistryEventType } from '@darman/access';
import type { ContractEvent } from '@darman/contracts';
import { EventBatchContext } from '@darman/messaging';
import type { ClaimEvent } from './claim-fold.js';
import { ClaimsReadModel } from './claims-read-model.js';

/**
 * The claims service's Kafka entry points: `insurer.members.v1` feeds its copy
 * of the member registry (who may see whom, which contracts are active), and
 * `insurer.claims.v1` the claim read model, in one transaction per batch.
 */
@Controller()
export class ClaimsConsumer {
  constructor(
    private readonly registry: MemberRegistryProjection,
    private readonly readModel: ClaimsReadModel,
  ) {}

  @EventPattern(['ContractUpserted', 'MemberEnrolled', 'MemberUpdated', 'MemberLeft'])
  async members(@Payload() events: ContractEvent<RegistryEventType>[], @Ctx() context: EventBatchContext): Promise<void> {
    await this.registry.apply(context.tx, events);
  }

  @EventPattern(['ClaimRegistered', 'ClaimCalculated', 'ClaimSentToBank', 'ClaimRejected', 'ClaimPaid'])
  async claims(@Payload() events: ClaimEvent[], @Ctx() context: EventBatchContext): Promise<void> {
    context.reject(...(await this.readModel.project(context.tx, [...new Set(events.map((e) => e.subject))])));
  }
}
