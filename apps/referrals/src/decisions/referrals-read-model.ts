import { Injectable } from '@nestjs/common';
import { MemberRegistryProjection } from '@darman/access';
import { reprojectAll, type RebuildableProjection, type SqlExecutor } from '@darman/messaging';
import { PROVIDER_EVENT_TYPES, ReferralProviders } from './referral-providers.js';

/**
 * The copies the referrals service keeps of other owners' data: the member
 * registry (who may ask for whom, under which active contract) and provider
 * capabilities. Rebuilt from the stored events when its version changes, so
 * the provider events stored before this copy existed are folded in.
 * The requests themselves are not a projection: Darman owns them.
 */
@Injectable()
export class ReferralsReadModel implements RebuildableProjection {
  readonly projection = { name: 'referrals-copies', version: 2 };

  constructor(
    private readonly registry: MemberRegistryProjection,
    private readonly providers: ReferralProviders,
  ) {}

  async rebuild(tx: SqlExecutor): Promise<void> {
    await this.registry.rebuild(tx);
    await this.providers.deleteAll(tx);
    await reprojectAll(tx, PROVIDER_EVENT_TYPES, (ids) => this.providers.project(tx, ids));
  }
}
