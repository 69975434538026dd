// The registry fold of one person's history (what the persons list and "who may see whom" read).
import type { StoredEvent } from '@darman/messaging';
import { foldEnrollments, type MemberEvent } from './enrollment-fold.js';

let n = 0;
const stored = (eventType: MemberEvent['eventType'], data: Record<string, unknown>): StoredEvent<MemberEvent> => {
  n++;
  return {
    event: {
      eventId: `e${n}`,
      eventType,
      eventVersion: 1,
      occurredAt: '2026-01-01T00:00:00Z',
      source: 't',
      subject: '0499370910',
      data,
    } as unknown as MemberEvent,
    occurredAtMs: n,
    receivedAt: new Date(n),
    offset: String(n),
  };
};
const enrolled = (contractNumber: string, extra: Record<string, unknown> = {}) =>
  stored('MemberEnrolled', {
    nationalCode: '0499370910',
    firstName: 'سارا',
    lastName: 'رضایی',
    birthDate: '2012-05-01',
    mobile: '09121111111',
    contractNumber,
    membershipType: 'GROUP',
    relation: 'CHILD',
    mainMemberNationalCode: '0499370899',
    coverageStart: '2024-03-20',
    coverageEnd: '2030-03-20',
    ...extra,
  });

describe('foldEnrollments', () => {
  it('gives one row per contract with every enrolled field and the normalised search text', () => {
    expect(foldEnrollments([enrolled('C1')])).toEqual([
      {
        nationalCode: '0499370910',
        contractNumber: 'C1',
        firstName: 'سارا',
        lastName: 'رضایی',
        birthDate: '2012-05-01',
        mobile: '09121111111',
        membershipType: 'GROUP',
        relation: 'CHILD',
        mainMemberNationalCode: '0499370899',
        coverageStart: '2024-03-20',
        coverageEnd: '2030-03-20',
        leftOn: null,
        searchText: 'سارا رضایی 0499370910',
      },
    ]);
  });

  it('applies an update to the named contract only, field by field', () => {
    const rows = foldEnrollments([
      enrolled('C1'),
      enrolled('C2'),
      stored('MemberUpdated', {
        nationalCode: '0499370910',
        contractNumber: 'C2',
        lastName: 'كاظمي',
        mobile: '09122222222',
        coverageEnd: '2027-01-01',
      }),
    ]);
    expect(rows.find((r) => r.contractNumber === 'C1')).toEqual(expect.objectContaining({ lastName: 'رضایی', mobile: '09121111111' }));
    expect(rows.find((r) => r.contractNumber === 'C2')).toEqual(
      expect.objectContaining({
        firstName: 'سارا',
        lastName: 'كاظمي',
        mobile: '09122222222',
        coverageEnd: '2027-01-01',
        searchText: 'سارا کاظمی 0499370910',
      }),
    );
    const renamed = foldEnrollments([
      enrolled('C1'),
      stored('MemberUpdated', { nationalCode: '0499370910', contractNumber: 'C1', firstName: 'مریم' }),
    ]);
    expect(renamed[0]).toEqual(
      expect.objectContaining({ firstName: 'مریم', lastName: 'رضایی', mobile: '09121111111', coverageEnd: '2030-03-20' }),
    );
  });

  it('has nothing to update or mark as left before the enrolment', () => {
    expect(
      foldEnrollments([
        stored('MemberUpdated', { nationalCode: '0499370910', contractNumber: 'C1', firstName: 'مریم' }),
        stored('MemberLeft', { nationalCode: '0499370910', contractNumber: 'C1', leftOn: '2025-01-01' }),
      ]),
    ).toEqual([]);
  });

  it('records the departure day, and a new enrolment afterwards starts over', () => {
    expect(
      foldEnrollments([enrolled('C1'), stored('MemberLeft', { nationalCode: '0499370910', contractNumber: 'C1', leftOn: '2025-01-01' })])[0]
        ?.leftOn,
    ).toBe('2025-01-01');
    const back = foldEnrollments([
      enrolled('C1'),
      stored('MemberLeft', { nationalCode: '0499370910', contractNumber: 'C1', leftOn: '2025-01-01' }),
      enrolled('C1', { firstName: 'نو' }),
    ]);
    expect(back).toEqual([expect.objectContaining({ leftOn: null, firstName: 'نو' })]);
  });
});
