import { Inject, Injectable } from '@nestjs/common';
import type { ContractEvent } from '@darman/contracts';
import { groupBy, loadSubjectHistory, type SqlExecutor, type StoredEvent } from '@darman/messaging';
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

type ProviderEvent = ContractEvent<(typeof PROVIDER_EVENT_TYPES)[number]>;

/** A centre as its history leaves it: the last upsert's capabilities, removed when a removal came after it. */
export interface ReferralProviderFold {
  providerId: string;
  /** Null when the history has only removals: there is no name to keep. */
  upsert: ContractEvent<'ProviderUpserted'>['data'] | null;
  removed: boolean;
}

/**
 * Folds each centre's sorted history. A removal keeps the last upsert's row (the names of old requests), so
 * the row is the same whether the upsert and the removal came in one batch or in two.
 */
export function foldReferralProviders(history: readonly StoredEvent<ProviderEvent>[]): ReferralProviderFold[] {
  return [...groupBy(history, (h) => h.event.subject).entries()].map(([providerId, events]) => {
    let upsert: ReferralProviderFold['upsert'] = null;
    let removed = false;
    for (const { event } of events) {
      if (event.eventType === 'ProviderUpserted') {
        upsert = event.data;
        removed = false;
      } else removed = true;
    }
    return { providerId, upsert, removed };
  });
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
    const history = await loadSubjectHistory(tx, PROVIDER_EVENT_TYPES, providerIds);
    for (const { providerId, upsert, removed } of foldReferralProviders(history)) {
      if (!upsert) {
        await tx.$executeRawUnsafe(`UPDATE referral_providers SET removed = true, updated_at = now() WHERE provider_id = $1`, providerId);
        continue;
      }
      await tx.$executeRawUnsafe(
        `INSERT INTO referral_providers (provider_id, name, type, city, contracted, issues_referral, online_referral, removed, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (provider_id) DO UPDATE SET name = $2, type = $3, city = $4, contracted = $5, issues_referral = $6,
           online_referral = $7, removed = $8, updated_at = now()`,
        providerId,
        upsert.name,
        upsert.type,
        upsert.city,
        upsert.contracted,
        upsert.issuesReferral,
        upsert.onlineReferral,
        removed,
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
