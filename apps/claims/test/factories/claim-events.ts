import { randomUUID } from 'node:crypto';
import type { ClaimEvent } from '../../src/claims/claim-fold.js';

/**
 * A claim event as the event store hands it to the fold, built without the
 * contract's validation so the fold's unit tests load only the fold (mutation
 * testing runs them once per mutant). Callers give payloads that are valid on
 * their own; the contract tests cover validation.
 */
export function claimEvent(
  eventType: ClaimEvent['eventType'],
  claimId: string,
  sequence: number,
  data: Record<string, unknown>,
): ClaimEvent {
  return {
    eventId: randomUUID(),
    eventType,
    eventVersion: 1,
    occurredAt: '2019-11-03T08:15:00+03:30',
    source: 'test',
    subject: claimId,
    sequence,
    data: { claimId, ...data },
  } as unknown as ClaimEvent;
}
