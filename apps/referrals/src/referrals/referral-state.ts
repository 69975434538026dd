import type { ContractEvent, DocumentKind, ReferralStatus } from '@darman/contracts';
import { tehranDate } from '@darman/persian';

export type { ReferralStatus };

/** Who caused a transition, as the timeline shows it. */
export type Actor = 'MEMBER' | 'REFERRAL_UNIT' | 'SYSTEM';

export interface TimelineEntry {
  status: ReferralStatus;
  /** ISO-8601 instant. */
  at: string;
  by: Actor;
  note?: string;
}

export interface RequestedDocumentState {
  kind: DocumentKind;
  description: string;
  /** The member has uploaded a file of this kind since the unit asked. */
  received: boolean;
}

/** The part of a request that its transitions change (the rest is fixed when it is made). */
export interface ReferralState {
  status: ReferralStatus;
  requestedDocuments: RequestedDocumentState[];
  documentsDueBy?: string;
  examAt?: string;
  examPlace?: string;
  letterNumber?: string;
  validFrom?: string;
  validUntil?: string;
  approvedProviderId?: string;
  decisionNote?: string;
  rejectionReason?: string;
  rejectionCode?: string;
  cancelReason?: string;
  /** Order of the last decision applied. */
  lastDecision?: { sequence?: number; occurredAt: string };
  timeline: TimelineEntry[];
}

export const DECISION_TYPES = ['ReferralDocumentsRequested', 'ReferralExamRequired', 'ReferralApproved', 'ReferralRejected'] as const;
export type Decision = ContractEvent<(typeof DECISION_TYPES)[number]>;

/** Decided for good: no decision or member action changes it any more (EXPIRED only follows APPROVED). */
const FINAL: readonly ReferralStatus[] = ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'];

export type DecisionOutcome =
  | { outcome: 'applied'; state: ReferralState }
  /** Older than the last decision applied (EVENTS.md: it must not overwrite newer state). */
  | { outcome: 'ignored' }
  /** The request is already final: the insurer must learn it (DLQ, STATE_CONFLICT). */
  | { outcome: 'conflict'; reason: string };

/** A new request: SUBMITTED, or EXAM_REQUIRED on arrival when its reason or category needs the trusted doctor. */
export function submitted(at: string, examRequired: boolean): ReferralState {
  const status: ReferralStatus = examRequired ? 'EXAM_REQUIRED' : 'SUBMITTED';
  return { status, requestedDocuments: [], timeline: [{ status, at, by: 'MEMBER' }] };
}

/**
 * Whether `decision` comes after the last one applied: by `sequence` when both
 * have one (the source's order), by `occurredAt` otherwise. Equal is not after:
 * a second decision at the same place in the order is a duplicate.
 */
export function isAfter(decision: Pick<Decision, 'sequence' | 'occurredAt'>, last: ReferralState['lastDecision']): boolean {
  if (!last) return true;
  if (decision.sequence !== undefined && last.sequence !== undefined) return decision.sequence > last.sequence;
  return Date.parse(decision.occurredAt) > Date.parse(last.occurredAt);
}

/** Sorts decisions into the order they are applied in (the order isAfter judges by). */
export function decisionOrder(a: Decision, b: Decision): number {
  if (a.sequence !== undefined && b.sequence !== undefined && a.sequence !== b.sequence) return a.sequence - b.sequence;
  return Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
}

/** Applies one decision of the referral unit to a request. */
export function applyDecision(state: ReferralState, decision: Decision): DecisionOutcome {
  if (!isAfter(decision, state.lastDecision)) return { outcome: 'ignored' };
  if (FINAL.includes(state.status)) {
    return { outcome: 'conflict', reason: `the request is ${state.status}; ${decision.eventType} cannot apply` };
  }
  const at = decision.occurredAt;
  const base: ReferralState = {
    ...state,
    lastDecision: { sequence: decision.sequence, occurredAt: decision.occurredAt },
    decisionNote: 'note' in decision.data ? decision.data.note : undefined,
  };
  const entry = (status: ReferralStatus, note?: string): TimelineEntry[] => [
    ...state.timeline,
    { status, at, by: 'REFERRAL_UNIT', ...(note ? { note } : {}) },
  ];
  switch (decision.eventType) {
    case 'ReferralDocumentsRequested': {
      const { documents, dueBy, note } = decision.data;
      return {
        outcome: 'applied',
        state: {
          ...base,
          status: 'DOCUMENTS_REQUESTED',
          requestedDocuments: documents.map((d) => ({ kind: d.kind, description: d.description, received: false })),
          documentsDueBy: dueBy,
          timeline: entry('DOCUMENTS_REQUESTED', note),
        },
      };
    }
    case 'ReferralExamRequired': {
      const { examAt, examPlace, note } = decision.data;
      return { outcome: 'applied', state: { ...base, status: 'EXAM_REQUIRED', examAt, examPlace, timeline: entry('EXAM_REQUIRED', note) } };
    }
    case 'ReferralApproved': {
      const { letterNumber, validUntil, validFrom, approvedProviderId, note } = decision.data;
      return {
        outcome: 'applied',
        state: {
          ...base,
          status: 'APPROVED',
          letterNumber,
          validUntil,
          validFrom: validFrom ?? tehranDate(new Date(at)),
          approvedProviderId,
          timeline: entry('APPROVED', note),
        },
      };
    }
    case 'ReferralRejected': {
      const { reason, reasonCode } = decision.data;
      return {
        outcome: 'applied',
        state: { ...base, status: 'REJECTED', rejectionReason: reason, rejectionCode: reasonCode, timeline: entry('REJECTED', reason) },
      };
    }
  }
}

/** The member may add files while the request waits for the unit (API.md). */
export function acceptsDocuments(state: ReferralState): boolean {
  return state.status === 'SUBMITTED' || state.status === 'DOCUMENTS_REQUESTED';
}

/**
 * The member added files of these kinds: each requested document of a kind
 * is received, and once every one is, the request goes back to SUBMITTED.
 * Null when the request does not accept documents now.
 */
export function addDocuments(state: ReferralState, kinds: readonly DocumentKind[], at: string): ReferralState | null {
  if (!acceptsDocuments(state)) return null;
  const requestedDocuments = state.requestedDocuments.map((d) => (kinds.includes(d.kind) ? { ...d, received: true } : d));
  const complete = state.status === 'DOCUMENTS_REQUESTED' && requestedDocuments.every((d) => d.received);
  if (!complete) return { ...state, requestedDocuments };
  return { ...state, requestedDocuments, status: 'SUBMITTED', timeline: [...state.timeline, { status: 'SUBMITTED', at, by: 'MEMBER' }] };
}

/** The member withdraws the request: only before a final decision (APPROVED, REJECTED). Null otherwise. */
export function cancel(state: ReferralState, reason: string, at: string): ReferralState | null {
  if (FINAL.includes(state.status)) return null;
  return {
    ...state,
    status: 'CANCELLED',
    cancelReason: reason,
    timeline: [...state.timeline, { status: 'CANCELLED', at, by: 'MEMBER', note: reason }],
  };
}

/** An approved letter expires the day after `validUntil`, Tehran time. Null when it is not due. */
export function expire(state: ReferralState, now: Date): ReferralState | null {
  if (state.status !== 'APPROVED' || !state.validUntil || tehranDate(now) <= state.validUntil) return null;
  return { ...state, status: 'EXPIRED', timeline: [...state.timeline, { status: 'EXPIRED', at: now.toISOString(), by: 'SYSTEM' }] };
}

/** A centre's verification: an approved letter inside its validity on `now`'s Tehran day. */
export function isValidLetter(state: Pick<ReferralState, 'status' | 'validFrom' | 'validUntil'>, now: Date): boolean {
  const today = tehranDate(now);
  return state.status === 'APPROVED' && !!state.validUntil && (!state.validFrom || state.validFrom <= today) && today <= state.validUntil;
}
