// The claim state machine's guards and fields (DOMAIN.md "Claim lifecycle"), one
// behaviour per test: what a member would see, and which event the insurer
// would find in the DLQ.
import { claimEvent } from '../../test/factories/claim-events.js';
import { foldClaim, type ClaimEvent } from './claim-fold.js';

let sequence = 0;
const ev = (eventType: ClaimEvent['eventType'], data: Record<string, unknown>) => claimEvent(eventType, 'C9', ++sequence, data);

const registered = () =>
  ev('ClaimRegistered', {
    contractNumber: '1722169',
    patientNationalCode: '0499370910',
    mainMemberNationalCode: '0499370899',
    kind: 'REIMBURSEMENT',
    reason: 'آزمایش',
    serviceCategory: 'LAB',
    admissionDate: '2019-10-18',
    registeredAt: '2019-11-03',
    requestedAmount: 3_146_000,
    providerId: 'P1',
    referralTrackingCode: 'R1',
  });
const calculated = (lines = true) =>
  ev('ClaimCalculated', {
    deductionsAmount: 146_000,
    coveredAmount: 3_000_000,
    franchiseAmount: 300_000,
    payableAmount: 2_700_000,
    issuedAt: '2019-11-09',
    returnLetterNumber: 'RL-7',
    ...(lines
      ? {
          deductionLines: [
            { description: 'سهم بیمه پایه', amount: 100_000 },
            { description: 'مازاد تعرفه', amount: 46_000 },
          ],
        }
      : {}),
  });
const sent = () =>
  ev('ClaimSentToBank', {
    sentAt: '2019-11-11T10:00:00+03:30',
    amount: 2_700_000,
    bankReference: 'B-1',
    payeeIban: 'IR820540102680020817909002',
  });
const paid = () => ev('ClaimPaid', { paidAt: '2019-11-12T09:00:00+03:30', traceNumber: 'T-9' });
const rejected = () => ev('ClaimRejected', { rejectedAt: '2019-11-05', reason: 'مدارک ناقص' });

/** The refusal the insurer finds in the DLQ (x-error-code, x-error-message). */
const conflict = (event: ClaimEvent, status: string) => ({
  eventId: event.eventId,
  code: 'STATE_CONFLICT',
  message: `${event.eventType} cannot follow status ${status}`,
});

describe('claim fold: what each state accepts', () => {
  beforeEach(() => (sequence = 0));

  it('shows the registration as it was registered', () => {
    const { state } = foldClaim([registered()]);
    expect(state).toEqual(
      expect.objectContaining({
        claimId: 'C9',
        contractNumber: '1722169',
        patientNationalCode: '0499370910',
        mainMemberNationalCode: '0499370899',
        kind: 'REIMBURSEMENT',
        reason: 'آزمایش',
        serviceCategory: 'LAB',
        admissionDate: '2019-10-18',
        registeredAt: '2019-11-03',
        requestedAmount: 3_146_000,
        providerId: 'P1',
        referralTrackingCode: 'R1',
        status: 'REGISTERED',
        payableAmount: null,
        paidAt: null,
        timeline: [{ status: 'REGISTERED', at: '2019-11-03' }],
      }),
    );
  });

  it('shows every amount of the calculation and its deduction lines', () => {
    const { state } = foldClaim([registered(), calculated()]);
    expect(state).toEqual(
      expect.objectContaining({
        status: 'CALCULATED',
        deductionsAmount: 146_000,
        coveredAmount: 3_000_000,
        franchiseAmount: 300_000,
        payableAmount: 2_700_000,
        issuedAt: '2019-11-09',
        returnLetterNumber: 'RL-7',
        deductionLines: [
          { description: 'سهم بیمه پایه', amount: 100_000 },
          { description: 'مازاد تعرفه', amount: 46_000 },
        ],
      }),
    );
    expect(foldClaim([registered(), calculated(false)]).state?.deductionLines).toBeNull();
  });

  it('shows the transfer with the Sheba masked, and the payment with its trace number', () => {
    const { state, rejections } = foldClaim([registered(), calculated(), sent(), paid()]);
    expect(rejections).toEqual([]);
    expect(state).toEqual(
      expect.objectContaining({
        status: 'PAID',
        sentToBankAt: '2019-11-11T10:00:00+03:30',
        sentAmount: 2_700_000,
        bankReference: 'B-1',
        payeeIbanMasked: 'IR••••••••••••••••••••9002',
        paidAt: '2019-11-12T09:00:00+03:30',
        traceNumber: 'T-9',
      }),
    );
    expect(state?.timeline).toEqual([
      { status: 'REGISTERED', at: '2019-11-03' },
      { status: 'CALCULATED', at: '2019-11-09' },
      { status: 'SENT_TO_BANK', at: '2019-11-11T10:00:00+03:30' },
      { status: 'PAID', at: '2019-11-12T09:00:00+03:30' },
    ]);
  });

  it('accepts a recalculation before the transfer, and keeps one CALCULATED step on the timeline', () => {
    const again = ev('ClaimCalculated', {
      deductionsAmount: 0,
      coveredAmount: 3_146_000,
      franchiseAmount: 146_000,
      payableAmount: 3_000_000,
      issuedAt: '2019-11-10',
    });
    const { state, rejections } = foldClaim([registered(), calculated(), again]);
    expect(rejections).toEqual([]);
    expect(state).toEqual(expect.objectContaining({ payableAmount: 3_000_000, deductionLines: null, returnLetterNumber: null }));
    expect(state?.timeline).toEqual([
      { status: 'REGISTERED', at: '2019-11-03' },
      { status: 'CALCULATED', at: '2019-11-10' },
    ]);
  });

  it.each([
    ['SENT_TO_BANK', () => [registered(), calculated(), sent()]],
    ['PAID', () => [registered(), calculated(), sent(), paid()]],
    ['REJECTED', () => [registered(), rejected()]],
  ])('refuses a calculation once the claim is %s', (status, before) => {
    const history = before();
    const late = calculated();
    const { state, rejections } = foldClaim([...history, late]);
    expect(rejections).toEqual([conflict(late, status)]);
    expect(state?.status).toBe(status);
  });

  it.each([
    ['SENT_TO_BANK', () => [registered(), calculated(), sent()]],
    ['PAID', () => [registered(), calculated(), sent(), paid()]],
    ['REJECTED', () => [registered(), calculated(), rejected()]],
  ])('refuses a transfer once the claim is %s', (status, before) => {
    const late = sent();
    const { state, rejections } = foldClaim([...before(), late]);
    expect(rejections).toEqual([conflict(late, status)]);
    expect(state?.status).toBe(status);
  });

  it('holds a payment until the claim is sent to the bank, then applies it', () => {
    const payment = paid();
    expect(foldClaim([registered(), payment])).toEqual({ state: expect.objectContaining({ status: 'REGISTERED' }), rejections: [] });
    expect(foldClaim([registered(), calculated(), payment])).toEqual({
      state: expect.objectContaining({ status: 'CALCULATED', paidAt: null }),
      rejections: [],
    });
  });

  it('refuses a payment of a rejected claim, and a second payment of a paid one', () => {
    const payment = paid();
    expect(foldClaim([registered(), rejected(), payment]).rejections).toEqual([conflict(payment, 'REJECTED')]);
    const first = paid();
    const second = ev('ClaimPaid', { paidAt: '2019-11-13T09:00:00+03:30' });
    const { state, rejections } = foldClaim([registered(), calculated(), sent(), first, second]);
    expect(rejections).toEqual([conflict(second, 'PAID')]);
    expect(state?.paidAt).toBe('2019-11-12T09:00:00+03:30');
  });

  it('rejects a claim that is only registered', () => {
    const { state, rejections } = foldClaim([registered(), rejected()]);
    expect(rejections).toEqual([]);
    expect(state).toEqual(expect.objectContaining({ status: 'REJECTED', rejectedAt: '2019-11-05', rejectionReason: 'مدارک ناقص' }));
    expect(state?.timeline.map((t) => t.status)).toEqual(['REGISTERED', 'REJECTED']);
  });

  it('refuses a second rejection and a rejection of a paid claim', () => {
    const second = rejected();
    expect(foldClaim([registered(), rejected(), second]).rejections).toEqual([conflict(second, 'REJECTED')]);
    const late = rejected();
    expect(foldClaim([registered(), calculated(), sent(), paid(), late]).rejections).toEqual([conflict(late, 'PAID')]);
  });

  it('takes the newest registration as the base, wherever it is in the history', () => {
    const first = registered();
    const correction = ev('ClaimRegistered', { ...first.data, reason: 'عینک', requestedAmount: 3_146_000 });
    expect(foldClaim([first, calculated(), correction]).state).toEqual(expect.objectContaining({ reason: 'عینک', status: 'CALCULATED' }));
  });

  it('explains an amount that breaks an invariant in the refusal the insurer reads', () => {
    const wrongCover = ev('ClaimCalculated', {
      deductionsAmount: 0,
      coveredAmount: 3_000_000,
      franchiseAmount: 0,
      payableAmount: 3_000_000,
      issuedAt: '2019-11-09',
    });
    expect(foldClaim([registered(), wrongCover]).rejections).toEqual([
      {
        eventId: wrongCover.eventId,
        code: 'INVARIANT_VIOLATED',
        message: 'coveredAmount 3000000 must equal requestedAmount 3146000 - deductionsAmount 0',
      },
    ]);
    const wrongAmount = ev('ClaimSentToBank', { sentAt: '2019-11-11T10:00:00+03:30', amount: 1 });
    expect(foldClaim([registered(), calculated(), wrongAmount]).rejections).toEqual([
      { eventId: wrongAmount.eventId, code: 'AMOUNT_MISMATCH', message: 'amount 1 must equal payableAmount 2700000' },
    ]);
  });
});
