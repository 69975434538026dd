// The claim fold against a reference model of DOMAIN.md's state machine, over
// generated histories that include invalid and late events: recalculation after
// payment, payment after rejection, rejection after sending, second payments,
// transfers before any calculation, amounts that break the invariants, and the
// same event type again with other content.
import fc from 'fast-check';
import { claimEvent } from '../../test/factories/claim-events.js';
import { foldClaim, type ClaimEvent, type ClaimStatus } from './claim-fold.js';

type Step = 'ClaimCalculated' | 'ClaimSentToBank' | 'ClaimPaid' | 'ClaimRejected';

/** DOMAIN.md: what each state does with each event; anything not listed is a STATE_CONFLICT. */
const TRANSITIONS: Record<ClaimStatus, Partial<Record<Step, 'apply' | 'wait'>>> = {
  REGISTERED: { ClaimCalculated: 'apply', ClaimRejected: 'apply', ClaimSentToBank: 'wait', ClaimPaid: 'wait' },
  CALCULATED: { ClaimCalculated: 'apply', ClaimSentToBank: 'apply', ClaimRejected: 'apply', ClaimPaid: 'wait' },
  SENT_TO_BANK: { ClaimPaid: 'apply' },
  PAID: {},
  REJECTED: {},
};
const REACHES: Record<Step, ClaimStatus> = {
  ClaimCalculated: 'CALCULATED',
  ClaimSentToBank: 'SENT_TO_BANK',
  ClaimPaid: 'PAID',
  ClaimRejected: 'REJECTED',
};

interface GeneratedStep {
  type: Step;
  /** For a calculation: whether covered = requested − deductions; for a transfer: whether amount = payable. */
  consistent: boolean;
  amount: number;
}

interface Expected {
  status: ClaimStatus;
  payable: number | null;
  timeline: ClaimStatus[];
  rejected: { index: number; code: string }[];
}

/** The reference: a plain walk through the state machine, stopping at the first event that must wait. */
function reference(steps: GeneratedStep[]): Expected {
  let status: ClaimStatus = 'REGISTERED';
  let payable: number | null = null;
  const timeline: ClaimStatus[] = ['REGISTERED'];
  const rejected: Expected['rejected'] = [];
  for (const [index, step] of steps.entries()) {
    const rule = TRANSITIONS[status][step.type];
    if (rule === 'wait') break;
    if (rule === undefined) {
      rejected.push({ index, code: 'STATE_CONFLICT' });
      continue;
    }
    if (step.type === 'ClaimCalculated' && !step.consistent) {
      rejected.push({ index, code: 'INVARIANT_VIOLATED' });
      continue;
    }
    if (step.type === 'ClaimSentToBank' && !step.consistent) {
      rejected.push({ index, code: 'AMOUNT_MISMATCH' });
      continue;
    }
    if (step.type === 'ClaimCalculated') payable = Math.floor(step.amount / 2);
    status = REACHES[step.type];
    if (!timeline.includes(status)) timeline.push(status);
  }
  return { status, payable, timeline, rejected };
}

function toEvents(requested: number, steps: GeneratedStep[]): ClaimEvent[] {
  let payable = 0;
  const event = (eventType: ClaimEvent['eventType'], sequence: number, data: Record<string, unknown>) =>
    claimEvent(eventType, 'CP', sequence, data);
  const registration = event('ClaimRegistered', 1, {
    contractNumber: '1722169',
    patientNationalCode: '0499370899',
    mainMemberNationalCode: '0499370899',
    kind: 'REIMBURSEMENT',
    reason: 'عینک',
    admissionDate: '2019-09-05',
    registeredAt: '2019-09-10',
    requestedAmount: requested,
  });
  const rest = steps.map((step, i) => {
    const sequence = i + 2;
    switch (step.type) {
      case 'ClaimCalculated': {
        const covered = step.amount;
        const deductions = step.consistent ? requested - covered : requested - covered + 1;
        const franchise = covered - Math.floor(covered / 2);
        if (step.consistent) payable = covered - franchise;
        return event('ClaimCalculated', sequence, {
          deductionsAmount: Math.max(0, deductions),
          coveredAmount: covered,
          franchiseAmount: franchise,
          payableAmount: covered - franchise,
          issuedAt: '2019-09-20',
        });
      }
      case 'ClaimSentToBank':
        return event('ClaimSentToBank', sequence, { sentAt: '2019-09-22T10:00:00+03:30', amount: step.consistent ? payable : payable + 1 });
      case 'ClaimPaid':
        return event('ClaimPaid', sequence, { paidAt: '2019-09-23T09:00:00+03:30' });
      case 'ClaimRejected':
        return event('ClaimRejected', sequence, { rejectedAt: '2019-09-24', reason: 'مدارک ناقص' });
    }
  });
  return [registration, ...rest];
}

/** npm run test:mutation runs this once per mutant: a tenth of the histories there (PROPERTY_RUNS_SCALE). */
const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? 1);

const requestedAmount = fc.integer({ min: 2, max: 50_000_000 });
const steps = (requested: number) =>
  fc.array(
    fc.record({
      type: fc.constantFrom<Step>('ClaimCalculated', 'ClaimSentToBank', 'ClaimPaid', 'ClaimRejected'),
      consistent: fc.boolean(),
      amount: fc.integer({ min: 1, max: requested }),
    }),
    { maxLength: 8 },
  );

describe('claim fold against the reference state machine', () => {
  it('agrees on status, payable amount, timeline and every refused event, for valid, invalid and late histories', () => {
    let conflicts = 0;
    fc.assert(
      fc.property(
        requestedAmount.chain((requested) => fc.tuple(fc.constant(requested), steps(requested))),
        ([requested, generated]) => {
          const events = toEvents(requested, generated);
          const expected = reference(generated);
          const { state, rejections } = foldClaim(events);
          expect(state?.status).toBe(expected.status);
          expect(state?.payableAmount ?? null).toBe(expected.payable);
          expect(state?.timeline.map((t) => t.status)).toEqual(expected.timeline);
          expect(rejections.map((r) => ({ eventId: r.eventId, code: r.code }))).toEqual(
            expected.rejected.map((r) => ({ eventId: events[r.index + 1]!.eventId, code: r.code })),
          );
          conflicts += expected.rejected.filter((r) => r.code === 'STATE_CONFLICT').length;
        },
      ),
      { numRuns: Math.ceil(2_000 * scale) },
    );
    // The generator must produce late and invalid events, not only happy paths.
    expect(conflicts).toBeGreaterThan(500 * scale);
  });

  it('shows nothing, and refuses nothing yet, while the registration is missing', () => {
    fc.assert(
      fc.property(
        requestedAmount.chain((requested) => steps(requested)),
        (generated) => {
          const events = toEvents(1_000, generated).slice(1);
          expect(foldClaim(events)).toEqual({ state: null, rejections: [] });
        },
      ),
      { numRuns: Math.ceil(300 * scale) },
    );
  });
});
