import type { ClaimRegisteredData, ContractEvent, DeductionLine } from '@darman/contracts';
import { maskSheba } from '@darman/persian';

export const CLAIM_EVENT_TYPES = ['ClaimRegistered', 'ClaimCalculated', 'ClaimSentToBank', 'ClaimRejected', 'ClaimPaid'] as const;
export type ClaimEvent = ContractEvent<(typeof CLAIM_EVENT_TYPES)[number]>;
export const CLAIM_STATUSES = ['REGISTERED', 'CALCULATED', 'SENT_TO_BANK', 'PAID', 'REJECTED'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Codes of events refused against state (the stateless ones come from libs/contracts). */
export enum ClaimsRejectionCode {
  InvariantViolated = 'INVARIANT_VIOLATED',
  AmountMismatch = 'AMOUNT_MISMATCH',
  StateConflict = 'STATE_CONFLICT',
}

export interface TimelineEntry {
  status: ClaimStatus;
  at: string;
}

/** One claim as the member sees it: the fold of its events. */
export interface ClaimState {
  claimId: string;
  contractNumber: string;
  patientNationalCode: string;
  mainMemberNationalCode: string;
  kind: ClaimRegisteredData['kind'];
  reason: string;
  serviceCategory: string | null;
  admissionDate: string;
  registeredAt: string;
  requestedAmount: number;
  providerId: string | null;
  referralTrackingCode: string | null;
  status: ClaimStatus;
  deductionsAmount: number | null;
  coveredAmount: number | null;
  franchiseAmount: number | null;
  payableAmount: number | null;
  issuedAt: string | null;
  returnLetterNumber: string | null;
  deductionLines: DeductionLine[] | null;
  sentToBankAt: string | null;
  sentAmount: number | null;
  bankReference: string | null;
  payeeIbanMasked: string | null;
  rejectedAt: string | null;
  rejectionReason: string | null;
  paidAt: string | null;
  traceNumber: string | null;
  timeline: TimelineEntry[];
}

export interface ClaimRejection {
  eventId: string;
  code: ClaimsRejectionCode;
  message: string;
}

export interface FoldResult {
  /** Null while the claim has no ClaimRegistered: its other events wait in the event store. */
  state: ClaimState | null;
  rejections: ClaimRejection[];
}

type Outcome = 'applied' | 'wait' | { code: ClaimsRejectionCode; message: string };

const conflict = (what: string, status: ClaimStatus): Outcome => ({
  code: ClaimsRejectionCode.StateConflict,
  message: `${what} cannot follow status ${status}`,
});

function registered(data: ClaimRegisteredData): ClaimState {
  return {
    claimId: data.claimId,
    contractNumber: data.contractNumber,
    patientNationalCode: data.patientNationalCode,
    mainMemberNationalCode: data.mainMemberNationalCode,
    kind: data.kind,
    reason: data.reason,
    serviceCategory: data.serviceCategory ?? null,
    admissionDate: data.admissionDate,
    registeredAt: data.registeredAt,
    requestedAmount: data.requestedAmount,
    providerId: data.providerId ?? null,
    referralTrackingCode: data.referralTrackingCode ?? null,
    status: 'REGISTERED',
    deductionsAmount: null,
    coveredAmount: null,
    franchiseAmount: null,
    payableAmount: null,
    issuedAt: null,
    returnLetterNumber: null,
    deductionLines: null,
    sentToBankAt: null,
    sentAmount: null,
    bankReference: null,
    payeeIbanMasked: null,
    rejectedAt: null,
    rejectionReason: null,
    paidAt: null,
    traceNumber: null,
    timeline: [{ status: 'REGISTERED', at: data.registeredAt }],
  };
}

function step(state: ClaimState, status: ClaimStatus, at: string): void {
  state.status = status;
  state.timeline = [...state.timeline.filter((t) => t.status !== status), { status, at }];
}

function apply(state: ClaimState, event: ClaimEvent): Outcome {
  switch (event.eventType) {
    case 'ClaimCalculated': {
      const d = event.data;
      if (state.status !== 'REGISTERED' && state.status !== 'CALCULATED') return conflict('ClaimCalculated', state.status);
      if (d.coveredAmount !== state.requestedAmount - d.deductionsAmount) {
        return {
          code: ClaimsRejectionCode.InvariantViolated,
          message: `coveredAmount ${d.coveredAmount} must equal requestedAmount ${state.requestedAmount} - deductionsAmount ${d.deductionsAmount}`,
        };
      }
      Object.assign(state, {
        deductionsAmount: d.deductionsAmount,
        coveredAmount: d.coveredAmount,
        franchiseAmount: d.franchiseAmount,
        payableAmount: d.payableAmount,
        issuedAt: d.issuedAt,
        returnLetterNumber: d.returnLetterNumber ?? null,
        deductionLines: d.deductionLines?.map(({ description, amount }) => ({ description, amount })) ?? null,
      });
      step(state, 'CALCULATED', d.issuedAt);
      return 'applied';
    }
    case 'ClaimSentToBank': {
      const d = event.data;
      if (state.status === 'REGISTERED') return 'wait';
      if (state.status !== 'CALCULATED') return conflict('ClaimSentToBank', state.status);
      if (d.amount !== state.payableAmount) {
        return { code: ClaimsRejectionCode.AmountMismatch, message: `amount ${d.amount} must equal payableAmount ${state.payableAmount}` };
      }
      Object.assign(state, {
        sentToBankAt: d.sentAt,
        sentAmount: d.amount,
        bankReference: d.bankReference ?? null,
        payeeIbanMasked: d.payeeIban ? maskSheba(d.payeeIban) : null,
      });
      step(state, 'SENT_TO_BANK', d.sentAt);
      return 'applied';
    }
    case 'ClaimPaid': {
      const d = event.data;
      if (state.status === 'REGISTERED' || state.status === 'CALCULATED') return 'wait';
      if (state.status !== 'SENT_TO_BANK') return conflict('ClaimPaid', state.status);
      Object.assign(state, { paidAt: d.paidAt, traceNumber: d.traceNumber ?? null });
      step(state, 'PAID', d.paidAt);
      return 'applied';
    }
    case 'ClaimRejected': {
      const d = event.data;
      if (state.status !== 'REGISTERED' && state.status !== 'CALCULATED') return conflict('ClaimRejected', state.status);
      Object.assign(state, { rejectedAt: d.rejectedAt, rejectionReason: d.reason });
      step(state, 'REJECTED', d.rejectedAt);
      return 'applied';
    }
    case 'ClaimRegistered':
      // The registration is the base the others apply to (foldClaim): in the history it changes nothing more.
      return 'applied';
  }
}

/**
 * Folds one claim's stored history (sorted: `sequence`, else `occurredAt`)
 * into its state. The registration is the base whatever its place (a later
 * one corrects the registered fields). The other events apply strictly in
 * order: an event whose predecessor state is missing (sent to bank before any
 * calculation, paid before sent) waits, and so do the events after it, until
 * the predecessor arrives; an event that breaks an invariant against the
 * state built by the events before it is rejected. So the state depends on
 * which events exist, not on the order they arrived in.
 */
export function foldClaim(history: readonly ClaimEvent[]): FoldResult {
  const registration = history.findLast((e) => e.eventType === 'ClaimRegistered');
  if (registration?.eventType !== 'ClaimRegistered') return { state: null, rejections: [] };
  const state = registered(registration.data);
  const rejections: ClaimRejection[] = [];
  for (const event of history) {
    const outcome = apply(state, event);
    if (outcome === 'wait') break;
    if (outcome !== 'applied') rejections.push({ eventId: event.eventId, ...outcome });
  }
  return { state, rejections };
}
