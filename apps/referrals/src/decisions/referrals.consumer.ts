import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';

/**
 * The referrals service's Kafka entry points. Until the referral read model
 * lands, the transport's inbox is all it keeps: every decision and provider
 * event is validated (invalid → DLQ), deduplicated and stored there, the
 * event store the read model will be built from.
 */
@Controller()
export class ReferralsConsumer {
  @EventPattern(['ReferralExamRequired', 'ReferralApproved', 'ReferralRejected'])
  async decisions(): Promise<void> {}

  @EventPattern(['ProviderUpserted', 'ProviderRemoved'])
  async providers(): Promise<void> {}
}
