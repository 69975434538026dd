import { Inject, Injectable } from '@nestjs/common';
import type { ContractEvent } from '@darman/contracts';
import { latestBySubject, loadSubjectHistory, type SqlExecutor } from '@darman/messaging';
import { DATABASE } from '@darman/platform';

export const PROVIDER_EVENT_TYPES = ['ProviderUpserted', 'ProviderRemoved'] as const;

/** What a request is checked against: the capabilities of a centre as the insurer last published them. */
export interface ReferralProviderRow {
  providerId: string;
  name: string;
  type: string;
  contracted: boolean;
  issuesReferral: boolean;
  onlineReferral: boolean;
  removed: boolean;
}

/**
 * The referrals service's copy of provider capabilities, folded from
 * `insurer.providers.v1` (latest event per provider wins, in the store's
 * order). No call to the providers service on the request path.
 */
@Injectable()
export class ReferralProviders {
  constructor(@Inject(DATABASE) private readonly db: SqlExecutor) {}

  async project(tx: SqlExecutor, providerIds: string[]): Promise<void> {
    const latest = latestBySubject(await loadSubjectHistory(tx, PROVIDER_EVENT_TYPES, providerIds));
    for (const event of latest as ContractEvent<(typeof PROVIDER_EVENT_TYPES)[number]>[]) {
      if (event.eventType === 'ProviderRemoved') {
        await tx.$executeRawUnsafe(
          `UPDATE referral_providers SET removed = true, updated_at = now() WHERE provider_id = $1`,
          event.subject,
        );
        continue;
      }
      const d = event.data;
      await tx.$executeRawUnsafe(
        `INSERT INTO referral_providers (provider_id, name, type, city, contracted, issues_referral, online_referral, removed, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, false, now())
         ON CONFLICT (provider_id) DO UPDATE SET name = $2, type = $3, city = $4, contracted = $5, issues_referral = $6,
           online_referral = $7, removed = false, updated_at = now()`,
        d.providerId,
        d.name,
        d.type,
        d.city,
        d.contracted,
        d.issuesReferral,
        d.onlineReferral,
      );
    }
  }

  async deleteAll(tx: SqlExecutor): Promise<void> {
    await tx.$executeRawUnsafe('DELETE FROM referral_providers');
  }

  async get(providerId: string, tx: SqlExecutor = this.db): Promise<ReferralProviderRow | null> {
    const [row] = await tx.$queryRawUnsafe<ReferralProviderRow[]>(
      `SELECT provider_id AS "providerId", name, type, contracted, issues_referral AS "issuesReferral",
              online_referral AS "onlineReferral", removed
         FROM referral_providers WHERE provider_id = $1`,
      providerId,
    );
    return row ?? null;
  }
}
