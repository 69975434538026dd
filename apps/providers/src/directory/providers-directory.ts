import { Injectable } from '@nestjs/common';
import type { ContractEvent } from '@darman/contracts';
import { latestBySubject, loadSubjectHistory, reprojectAll, type RebuildableProjection, type SqlExecutor } from '@darman/messaging';
import { providerRow } from './provider-fold.js';
import { ProvidersRepository } from './providers.repository.js';

export const PROVIDER_EVENTS = ['ProviderUpserted', 'ProviderRemoved'] as const;
export type ProviderEvent = ContractEvent<(typeof PROVIDER_EVENTS)[number]>;

/**
 * Projects `insurer.providers.v1` into the directory. Each affected provider
 * is re-folded from its stored history: the last event in order (`sequence`,
 * else `occurredAt`) decides, so duplicates and late or reordered events end
 * in the same row, and a removal followed by a newer upsert brings it back.
 */
@Injectable()
export class ProvidersDirectory implements RebuildableProjection {
  /** Bump the version when the projection changes: the directory is then rebuilt from the stored events at start. */
  readonly projection = { name: 'providers-directory', version: 3 };

  constructor(private readonly providers: ProvidersRepository) {}

  async rebuild(tx: SqlExecutor): Promise<void> {
    await this.providers.deleteAll(tx);
    await reprojectAll(tx, PROVIDER_EVENTS, (ids) => this.project(tx, ids));
  }

  async project(tx: SqlExecutor, ids: string[]): Promise<void> {
    const latest = latestBySubject(await loadSubjectHistory(tx, PROVIDER_EVENTS, ids));
    await this.providers.remove(
      tx,
      latest.filter((last) => last.eventType === 'ProviderRemoved').map((last) => last.subject),
    );
    await this.providers.upsert(
      tx,
      latest.flatMap((last) => {
        if (last.eventType !== 'ProviderUpserted') return [];
        return [providerRow(last.data)];
      }),
    );
  }
}
