import { BusinessCalendar } from '@darman/persian';
import {
  acceptsDocuments,
  addDocuments,
  applyDecision,
  cancel,
  decisionOrder,
  expire,
  isAfter,
  isValidLetter,
  submitted,
  type Decision,
  type ReferralState,
} from './referral-state.js';
import { isLeadTimeShort, needsExam } from './request-rules.js';

const T = 'RF00000001';
let eventNo = 0;
function decision<E extends Decision['eventType']>(
  eventType: E,
  data: Omit<Extract<Decision, { eventType: E }>['data'], 'trackingCode'>,
  order: { sequence?: number; occurredAt?: string } = {},
): Decision {
  eventNo++;
  return {
    eventId: `00000000-0000-4000-8000-${String(eventNo).padStart(12, '0')}`,
    eventType,
    eventVersion: 1,
    occurredAt: order.occurredAt ?? '2026-03-01T10:00:00+03:30',
    source: 'asmari-referrals',
    subject: T,
    ...(order.sequence !== undefined ? { sequence: order.sequence } : {}),
    data: { trackingCode: T, ...data },
  } as unknown as Decision;
}

const docs = (o = {}) =>
  decision('ReferralDocumentsRequested', { documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش' }], ...o }, { sequence: 1 });
const exam = (seq = 2) =>
  decision('ReferralExamRequired', { examAt: '2026-03-05T09:00:00+03:30', examPlace: 'شعبه مرکزی' }, { sequence: seq });
const approve = (seq = 3, o = {}) =>
  decision('ReferralApproved', { letterNumber: 'L-77', validUntil: '2026-03-20', ...o }, { sequence: seq });
const reject = (seq = 3) => decision('ReferralRejected', { reason: 'خارج از تعهد', reasonCode: 'NOT_COVERED' }, { sequence: seq });

function applied(state: ReferralState, d: Decision): ReferralState {
  const result = applyDecision(state, d);
  if (result.outcome !== 'applied') throw new Error(`expected applied, got ${result.outcome}`);
  return result.state;
}

const AT = '2026-03-01T08:00:00.000Z';

describe('a referral request', () => {
  it('starts SUBMITTED, or EXAM_REQUIRED when the trusted doctor must see the patient, on a timeline by the member', () => {
    expect(submitted(AT, false)).toEqual({
      status: 'SUBMITTED',
      requestedDocuments: [],
      timeline: [{ status: 'SUBMITTED', at: AT, by: 'MEMBER' }],
    });
    expect(submitted(AT, true).status).toBe('EXAM_REQUIRED');
    expect(submitted(AT, true).timeline).toEqual([{ status: 'EXAM_REQUIRED', at: AT, by: 'MEMBER' }]);
  });

  it('waits for requested documents, and returns to SUBMITTED only when every requested kind has arrived', () => {
    const pended = applied(
      submitted(AT, false),
      decision(
        'ReferralDocumentsRequested',
        {
          documents: [
            { kind: 'MEDICAL_REPORT', description: 'گزارش پزشک' },
            { kind: 'IMAGING', description: 'MRI' },
          ],
          dueBy: '2026-03-10',
          note: 'تا ده روز',
        },
        { sequence: 1 },
      ),
    );
    expect(pended).toMatchObject({
      status: 'DOCUMENTS_REQUESTED',
      documentsDueBy: '2026-03-10',
      decisionNote: 'تا ده روز',
      requestedDocuments: [
        { kind: 'MEDICAL_REPORT', description: 'گزارش پزشک', received: false },
        { kind: 'IMAGING', description: 'MRI', received: false },
      ],
    });
    expect(pended.timeline.at(-1)).toEqual({
      status: 'DOCUMENTS_REQUESTED',
      at: '2026-03-01T10:00:00+03:30',
      by: 'REFERRAL_UNIT',
      note: 'تا ده روز',
    });
    const half = addDocuments(pended, ['MEDICAL_REPORT', 'OTHER'], AT)!;
    expect(half.status).toBe('DOCUMENTS_REQUESTED');
    expect(half.requestedDocuments.map((d) => d.received)).toEqual([true, false]);
    expect(half.timeline).toHaveLength(2);
    const done = addDocuments(half, ['IMAGING'], '2026-03-02T08:00:00.000Z')!;
    expect(done.status).toBe('SUBMITTED');
    expect(done.timeline.at(-1)).toEqual({ status: 'SUBMITTED', at: '2026-03-02T08:00:00.000Z', by: 'MEMBER' });
  });

  it('takes more files while SUBMITTED without a new step, and none once the exam or a decision is pending or made', () => {
    const more = addDocuments(submitted(AT, false), ['OTHER'], AT)!;
    expect(more.status).toBe('SUBMITTED');
    expect(more.timeline).toHaveLength(1);
    expect(acceptsDocuments(submitted(AT, false))).toBe(true);
    expect(acceptsDocuments(applied(submitted(AT, false), docs()))).toBe(true);
    for (const state of [submitted(AT, true), applied(submitted(AT, false), approve()), applied(submitted(AT, false), reject())]) {
      expect(acceptsDocuments(state)).toBe(false);
      expect(addDocuments(state, ['OTHER'], AT)).toBeNull();
    }
  });

  it('records the exam appointment, then the approval with its letter, validity and another centre', () => {
    const examined = applied(applied(submitted(AT, false), docs()), exam());
    expect(examined).toMatchObject({
      status: 'EXAM_REQUIRED',
      examAt: '2026-03-05T09:00:00+03:30',
      examPlace: 'شعبه مرکزی',
      decisionNote: undefined,
    });
    const ok = applied(examined, approve(3, { validFrom: '2026-03-02', approvedProviderId: 'P2', note: 'با بیمارستان دیگر' }));
    expect(ok).toMatchObject({
      status: 'APPROVED',
      letterNumber: 'L-77',
      validFrom: '2026-03-02',
      validUntil: '2026-03-20',
      approvedProviderId: 'P2',
      decisionNote: 'با بیمارستان دیگر',
      lastDecision: { sequence: 3, occurredAt: '2026-03-01T10:00:00+03:30' },
    });
    expect(ok.timeline.map((e) => [e.status, e.by])).toEqual([
      ['SUBMITTED', 'MEMBER'],
      ['DOCUMENTS_REQUESTED', 'REFERRAL_UNIT'],
      ['EXAM_REQUIRED', 'REFERRAL_UNIT'],
      ['APPROVED', 'REFERRAL_UNIT'],
    ]);
  });

  it('is valid from the Tehran day of the decision when the approval names no validFrom', () => {
    // 22:00 UTC on 1 March is 1:30 on 2 March in Tehran.
    const late = decision('ReferralApproved', { letterNumber: 'L', validUntil: '2026-03-20' }, { occurredAt: '2026-03-01T22:00:00Z' });
    expect(applied(submitted(AT, false), late).validFrom).toBe('2026-03-02');
  });

  it('records a rejection with its reason and code', () => {
    expect(applied(submitted(AT, false), reject())).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'خارج از تعهد',
      rejectionCode: 'NOT_COVERED',
      timeline: [expect.anything(), { status: 'REJECTED', by: 'REFERRAL_UNIT', note: 'خارج از تعهد' }],
    });
  });

  it('ignores a decision older than, or at the same place as, the last one applied, and changes nothing', () => {
    const after = applied(submitted(AT, false), exam(5));
    expect(applyDecision(after, approve(4))).toEqual({ outcome: 'ignored' });
    expect(applyDecision(after, approve(5))).toEqual({ outcome: 'ignored' });
    expect(applyDecision(after, approve(6)).outcome).toBe('applied');
    // Older than a final decision: ignored, not a conflict (EVENTS.md: a lower sequence is ignored).
    const approved = applied(after, approve(6));
    expect(applyDecision(approved, exam(3))).toEqual({ outcome: 'ignored' });
  });

  it('refuses a newer decision for a request that is final: cancelled, approved, rejected or expired', () => {
    const cancelled = cancel(submitted(AT, false), 'منصرف شدم', AT)!;
    expect(applyDecision(cancelled, approve())).toEqual({
      outcome: 'conflict',
      reason: 'the request is CANCELLED; ReferralApproved cannot apply',
    });
    expect(applyDecision(applied(submitted(AT, false), approve(3)), reject(4)).outcome).toBe('conflict');
    expect(applyDecision(applied(submitted(AT, false), reject(3)), approve(4)).outcome).toBe('conflict');
    const expired = expire(applied(submitted(AT, false), approve(3)), new Date('2026-04-01T00:00:00Z'))!;
    expect(applyDecision(expired, exam(9)).outcome).toBe('conflict');
  });

  it('orders by sequence when both have one, by occurredAt otherwise', () => {
    const last = { sequence: 5, occurredAt: '2026-03-01T10:00:00Z' };
    expect(isAfter({ sequence: 6, occurredAt: '2020-01-01T00:00:00Z' }, last)).toBe(true);
    expect(isAfter({ sequence: 4, occurredAt: '2030-01-01T00:00:00Z' }, last)).toBe(false);
    expect(isAfter({ occurredAt: '2026-03-01T10:00:01Z' }, last)).toBe(true);
    expect(isAfter({ occurredAt: '2026-03-01T13:30:00+03:30' }, last)).toBe(false);
    expect(isAfter({ occurredAt: '2026-03-01T09:59:59Z' }, { occurredAt: '2026-03-01T10:00:00Z' })).toBe(false);
    expect(isAfter({ occurredAt: '2000-01-01T00:00:00Z' }, undefined)).toBe(true);
    // Only one side numbered: occurredAt decides.
    expect(isAfter({ sequence: 1, occurredAt: '2026-03-01T10:00:01Z' }, { occurredAt: '2026-03-01T10:00:00Z' })).toBe(true);
    expect(isAfter({ sequence: 9, occurredAt: '2026-03-01T09:00:00Z' }, { occurredAt: '2026-03-01T10:00:00Z' })).toBe(false);
    const a = decision('ReferralExamRequired', { examAt: AT, examPlace: 'x' }, { sequence: 2, occurredAt: '2026-03-02T00:00:00Z' });
    const b = decision(
      'ReferralApproved',
      { letterNumber: 'L', validUntil: '2026-03-20' },
      { sequence: 3, occurredAt: '2026-03-01T00:00:00Z' },
    );
    const c = decision('ReferralRejected', { reason: 'r' }, { occurredAt: '2026-03-03T00:00:00Z' });
    expect([b, a].sort(decisionOrder)).toEqual([a, b]);
    expect([c, a].sort(decisionOrder)).toEqual([a, c]);
    expect(decisionOrder(a, c)).toBeLessThan(0);
    expect(decisionOrder(c, a)).toBeGreaterThan(0);
    expect(decisionOrder(b, c)).toBeLessThan(0);
    expect([c, b].sort(decisionOrder)).toEqual([b, c]);
    const sameSequence = decision('ReferralRejected', { reason: 'r' }, { sequence: 3, occurredAt: '2026-02-01T00:00:00Z' });
    expect([b, sameSequence].sort(decisionOrder)).toEqual([sameSequence, b]);
  });

  it('can be cancelled by the member until a final decision, with the reason on the timeline', () => {
    for (const state of [submitted(AT, false), submitted(AT, true), applied(submitted(AT, false), docs())]) {
      expect(cancel(state, 'بهبود یافتم', AT)).toMatchObject({
        status: 'CANCELLED',
        cancelReason: 'بهبود یافتم',
        timeline: [...state.timeline, { status: 'CANCELLED', at: AT, by: 'MEMBER', note: 'بهبود یافتم' }],
      });
    }
    expect(cancel(applied(submitted(AT, false), approve()), 'x', AT)).toBeNull();
    expect(cancel(applied(submitted(AT, false), reject()), 'x', AT)).toBeNull();
    expect(cancel(cancel(submitted(AT, false), 'x', AT)!, 'y', AT)).toBeNull();
  });

  it('expires the day after validUntil in Tehran, not before, and only when approved', () => {
    const ok = applied(submitted(AT, false), approve(3, { validUntil: '2026-03-20' }));
    // 20:29 UTC on 20 March is 23:59 in Tehran: still the last valid day.
    expect(expire(ok, new Date('2026-03-20T20:29:00Z'))).toBeNull();
    const expired = expire(ok, new Date('2026-03-20T20:31:00Z'))!;
    expect(expired.status).toBe('EXPIRED');
    expect(expired.timeline.at(-1)).toEqual({ status: 'EXPIRED', at: '2026-03-20T20:31:00.000Z', by: 'SYSTEM' });
    expect(expire(expired, new Date('2026-05-01T00:00:00Z'))).toBeNull();
    expect(expire(submitted(AT, false), new Date('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('verifies for a centre only while approved and inside validFrom..validUntil, Tehran days', () => {
    const ok = applied(submitted(AT, false), approve(3, { validFrom: '2026-03-02', validUntil: '2026-03-20' }));
    expect(isValidLetter(ok, new Date('2026-03-01T20:29:00Z'))).toBe(false); // 23:59 on 1 March in Tehran
    expect(isValidLetter(ok, new Date('2026-03-01T20:31:00Z'))).toBe(true); // 00:01 on 2 March
    expect(isValidLetter(ok, new Date('2026-03-20T20:29:00Z'))).toBe(true);
    expect(isValidLetter(ok, new Date('2026-03-20T20:31:00Z'))).toBe(false);
    expect(isValidLetter({ status: 'APPROVED', validUntil: '2026-03-20' }, new Date('2026-03-10T00:00:00Z'))).toBe(true);
    expect(isValidLetter({ ...ok, status: 'EXPIRED' }, new Date('2026-03-10T00:00:00Z'))).toBe(false);
    expect(isValidLetter({ status: 'APPROVED' }, new Date('2026-03-10T00:00:00Z'))).toBe(false);
  });
});

describe('request rules', () => {
  // 1405/01/01.. are holidays; use a plain week in Esfand 1404: Saturday 2026-02-14 .. Friday 2026-02-20.
  const calendar = new BusinessCalendar({ holidays: ['2026-02-17'] });
  const saturdayNoon = new Date('2026-02-14T08:30:00Z'); // 12:00 in Tehran

  it('warns when a hospital or surgery letter leaves the unit fewer than two whole business days', () => {
    // Saturday → Sunday and Monday are business days; Tuesday 17th is a holiday here, Wednesday is the next.
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-16', saturdayNoon, calendar)).toBe(true);
    expect(isLeadTimeShort('SURGERY', '2026-02-16', saturdayNoon, calendar)).toBe(true);
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-17', saturdayNoon, calendar)).toBe(false);
    expect(isLeadTimeShort('SURGERY', '2026-02-18', saturdayNoon, calendar)).toBe(false);
    // From Sunday, the holiday on Tuesday pushes the second whole business day to Wednesday.
    const sunday = new Date('2026-02-15T08:30:00Z');
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-18', sunday, calendar)).toBe(true);
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-19', sunday, calendar)).toBe(false);
  });

  it('takes the request day in Tehran, not UTC', () => {
    // 21:00 UTC on Friday the 13th is 00:30 on Saturday the 14th in Tehran.
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-17', new Date('2026-02-13T21:00:00Z'), calendar)).toBe(false);
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-17', new Date('2026-02-13T20:00:00Z'), calendar)).toBe(false);
    expect(isLeadTimeShort('HOSPITALIZATION', '2026-02-16', new Date('2026-02-13T20:00:00Z'), calendar)).toBe(false);
  });

  it('warns for paraclinical and other services fewer than four hours before the admission day begins in Tehran', () => {
    // The 15th begins at 2026-02-14T20:30Z; four hours before is 16:30Z.
    expect(isLeadTimeShort('PARACLINICAL', '2026-02-15', new Date('2026-02-14T16:29:00Z'), calendar)).toBe(false);
    expect(isLeadTimeShort('PARACLINICAL', '2026-02-15', new Date('2026-02-14T16:30:00Z'), calendar)).toBe(false);
    expect(isLeadTimeShort('PARACLINICAL', '2026-02-15', new Date('2026-02-14T16:31:00Z'), calendar)).toBe(true);
    expect(isLeadTimeShort('OTHER', '2026-02-14', saturdayNoon, calendar)).toBe(true);
    expect(isLeadTimeShort('OTHER', '2026-02-16', saturdayNoon, calendar)).toBe(false);
  });

  it("marks a request for the trusted doctor's exam by category or by a term in the reason, after Persian normalisation", () => {
    const rules = { reasons: ['رینوپلاستی', 'rhinoplasty', ' ', 'جراحی بینی'], categories: ['OTHER'] };
    expect(needsExam('درخواست جراحی‌بینی', 'SURGERY', rules)).toBe(true); // a ZWNJ where the term has a space
    expect(needsExam('جراحی رینوپلاستی', 'SURGERY', rules)).toBe(true);
    expect(needsExam('جراحی رينو پلاستي', 'SURGERY', rules)).toBe(true); // Arabic ی, a space inside
    expect(needsExam('Rhinoplasty', 'SURGERY', rules)).toBe(true);
    expect(needsExam('جراحی آپاندیس', 'SURGERY', rules)).toBe(false);
    expect(needsExam('هر چیزی', 'OTHER', rules)).toBe(true);
    expect(needsExam('هر چیزی', 'SURGERY', { reasons: [], categories: [] })).toBe(false);
  });
});
