import { Injectable } from '@nestjs/common';
import { MemberRegistryProjection } from '@darman/access';
import {
  groupBy,
  loadSubjectHistory,
  reprojectAll,
  type HandlerRejection,
  type RebuildableProjection,
  type SqlExecutor,
} from '@darman/messaging';
import { normalizeForSearch } from '@darman/persian';
import { CLAIM_EVENT_TYPES, foldClaim, type ClaimState } from './claim-fold.js';
import { ClaimsRepository, type ClaimWrite } from './claims.repository.js';

function toWrite(state: ClaimState): ClaimWrite {
  return {
    ...state,
    searchText: normalizeForSearch([state.reason, state.claimId, state.returnLetterNumber, state.bankReference].filter(Boolean).join(' ')),
  };
}

/**
 * The claim read model: each batch re-folds every claim it touches from the
 * stored events, in one set-based upsert; events the fold refuses against
 * state leave the event store for the DLQ. Rebuilt with the service's copy
 * of the member registry, which shares its consumer group.
 */
@Injectable()
export class ClaimsReadModel implements RebuildableProjection {
  /** Bump when the fold or the table changes: the read model is then rebuilt from the stored events at start. */
  readonly projection = { name: 'claims-read-model', version: 1 };

  constructor(
    private readonly claims: ClaimsRepository,
    private readonly registry: MemberRegistryProjection,
  ) {}

  async rebuild(tx: SqlExecutor): Promise<void> {
    await this.registry.rebuild(tx);
    await this.claims.deleteAll(tx);
    await reprojectAll(tx, CLAIM_EVENT_TYPES, (claimIds) => this.project(tx, claimIds));
  }

  /** Re-folds these claims from their stored history and writes them; returns the events refused. */
  async project(tx: SqlExecutor, claimIds: string[]): Promise<HandlerRejection[]> {
    if (claimIds.length === 0) return [];
    const history = await loadSubjectHistory(tx, CLAIM_EVENT_TYPES, claimIds);
    const rows: ClaimWrite[] = [];
    const rejections: HandlerRejection[] = [];
    for (const list of groupBy(history, (h) => h.event.subject).values()) {
      const folded = foldClaim(list.map((h) => h.event));
      if (folded.state) rows.push(toWrite(folded.state));
      rejections.push(...folded.rejections);
    }
    await this.claims.upsert(tx, rows);
    return rejections;
  }
}
