import { claimEvent } from '../../test/factories/claim-events.js';
import { foldClaim, type ClaimEvent } from './claim-fold.js';

const base = { contractNumber: '1722169', patientNationalCode: '0499370899', mainMemberNationalCode: '0499370899' };
const ev = (eventType: ClaimEvent['eventType'], sequence: number, data: Record<string, unknown>) =>
  claimEvent(eventType, 'C1', sequence, data);

const reg = ev('ClaimRegistered', 1, {
  ...base,
  kind: 'REIMBURSEMENT',
  reason: 'عینک',
  admissionDate: '2019-09-05',
  registeredAt: '2019-09-10',
  requestedAmount: 8_500_000,
});
const calc = ev('ClaimCalculated', 2, {
  deductionsAmount: 1_500_000,
  coveredAmount: 7_000_000,
  franchiseAmount: 700_000,
  payableAmount: 6_300_000,
  issuedAt: '2019-09-20',
});
const sent = ev('ClaimSentToBank', 3, { sentAt: '2019-09-22T10:00:00+03:30', amount: 6_300_000 });
const paid = ev('ClaimPaid', 4, { paidAt: '2019-09-23T09:00:00+03:30' });
const rejected = ev('ClaimRejected', 5, { rejectedAt: '2019-09-24', reason: 'مدارک ناقص' });

describe('foldClaim', () => {
  it('takes a claim from registration to paid with a timeline', () => {
    const { state, rejections } = foldClaim([reg, calc, sent, paid]);
    expect(rejections).toEqual([]);
    expect(state).toMatchObject({ status: 'PAID', requestedAmount: 8_500_000, payableAmount: 6_300_000, sentAmount: 6_300_000 });
    expect(state?.timeline.map((t) => t.status)).toEqual(['REGISTERED', 'CALCULATED', 'SENT_TO_BANK', 'PAID']);
  });

  it('waits for the registration: nothing to show before it', () => {
    expect(foldClaim([calc, sent])).toEqual({ state: null, rejections: [] });
  });

  it('lets an event wait for its predecessor and holds the events after it', () => {
    const { state, rejections } = foldClaim([reg, sent, paid]);
    expect(state?.status).toBe('REGISTERED');
    expect(rejections).toEqual([]);
  });

  it('rejects a calculation whose covered amount is not requested minus deductions', () => {
    const wrong = ev('ClaimCalculated', 2, {
      deductionsAmount: 0,
      coveredAmount: 7_000_000,
      franchiseAmount: 0,
      payableAmount: 7_000_000,
      issuedAt: '2019-09-20',
    });
    const { state, rejections } = foldClaim([reg, wrong]);
    expect(state?.status).toBe('REGISTERED');
    expect(rejections).toEqual([expect.objectContaining({ eventId: wrong.eventId, code: 'INVARIANT_VIOLATED' })]);
  });

  it('rejects an amount sent to the bank that differs from the payable amount', () => {
    const wrong = ev('ClaimSentToBank', 3, { sentAt: '2019-09-22T10:00:00+03:30', amount: 6_000_000 });
    expect(foldClaim([reg, calc, wrong]).rejections).toEqual([expect.objectContaining({ code: 'AMOUNT_MISMATCH' })]);
  });

  it('rejects a rejection after the money was sent, and allows one before', () => {
    expect(foldClaim([reg, calc, sent, rejected]).rejections).toEqual([expect.objectContaining({ code: 'STATE_CONFLICT' })]);
    expect(foldClaim([reg, calc, rejected]).state).toMatchObject({ status: 'REJECTED', rejectionReason: 'مدارک ناقص' });
  });
});
