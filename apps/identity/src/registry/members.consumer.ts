import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventBatchContext } from '@darman/messaging';
import { IdentityRegistry, type MembersTopicEvent } from './identity-registry.js';

/** Identity's Kafka entry point: `insurer.members.v1` into the registry, insurers and announcements. */
@Controller()
export class MembersConsumer {
  constructor(private readonly registry: IdentityRegistry) {}

  @EventPattern(['ContractUpserted', 'MemberEnrolled', 'MemberUpdated', 'MemberLeft', 'InsurerUpserted', 'AnnouncementPublished'])
  async members(@Payload() events: MembersTopicEvent[], @Ctx() context: EventBatchContext): Promise<void> {
    await this.registry.apply(context.tx, events);
  }
}
