import { nameBasedUuid, Topics, type NewEvent, type TopicName } from '@darman/contracts';

/** Deterministic ids so that seeding twice is a no-op for consumers. */
export const stableUuid = (name: string): string => nameBasedUuid(`darman-demo:${name}`);

export const DEMO = {
  contractNumber: '1722169',
  /** The demo member's national code (valid check digit) and those of the spouse and child. */
  main: '0499370899',
  spouse: '0499370902',
  child: '0499370910',
  mobile: '09121234567',
  membershipType: 'GROUP' as const,
};

const SOURCE = 'asmari-core';
type Seed = { topic: TopicName; event: NewEvent };

function ev(
  topic: TopicName,
  eventType: string,
  subject: string,
  data: Record<string, unknown>,
  sequence?: number,
  occurredAt = '2019-03-21T09:00:00+03:30',
): Seed {
  return {
    topic,
    event: {
      eventId: stableUuid(`${eventType}:${subject}:${sequence ?? 0}`),
      eventType,
      eventVersion: 1,
      occurredAt,
      source: SOURCE,
      subject,
      sequence,
      data,
    },
  };
}

const member = (nationalCode: string, firstName: string, lastName: string, birthDate: string, relation: string) =>
  ev(
    Topics.insurerMembers,
    'MemberEnrolled',
    nationalCode,
    {
      nationalCode,
      firstName,
      lastName,
      birthDate,
      mobile: DEMO.mobile,
      contractNumber: DEMO.contractNumber,
      membershipType: DEMO.membershipType,
      relation,
      mainMemberNationalCode: DEMO.main,
      coverageStart: '2019-03-21',
      coverageEnd: '2027-03-20',
    },
    1,
  );

const claimBase = {
  contractNumber: DEMO.contractNumber,
  patientNationalCode: DEMO.main,
  mainMemberNationalCode: DEMO.main,
  kind: 'REIMBURSEMENT',
};

/**
 * The seed guide's example: member, spouse and child under contract 1722169;
 * claims 14543759 (glasses, 1398/06/14) and 15342268 (lab test, 1398/07/26,
 * amounts of EVENTS.md); hospitals Shafa (Shiraz) and Ostad Motahari (Jahrom).
 * Claim 14543759's amounts are not in the guide: they are demo values.
 */
export const DEMO_EVENTS: Seed[] = [
  ev(
    Topics.insurerMembers,
    'InsurerUpserted',
    'ASMARI',
    { insurerCode: 'ASMARI', name: 'بیمه آسماری', logoUrl: 'https://portal.darman.example/logos/asmari.svg' },
    1,
  ),
  ev(
    Topics.insurerMembers,
    'ContractUpserted',
    DEMO.contractNumber,
    {
      contractNumber: DEMO.contractNumber,
      title: 'درمان تکمیلی کارکنان',
      policyholderName: 'شرکت نمونه',
      insurerCode: 'ASMARI',
      insurerName: 'بیمه آسماری',
      startDate: '2019-03-21',
      endDate: '2027-03-20',
      status: 'ACTIVE',
    },
    1,
  ),
  member(DEMO.main, 'علی', 'رضایی', '1985-04-02', 'MAIN'),
  member(DEMO.spouse, 'مریم', 'احمدی', '1988-07-15', 'SPOUSE'),
  member(DEMO.child, 'سارا', 'رضایی', '2015-01-20', 'CHILD'),
  ev(
    Topics.insurerMembers,
    'AnnouncementPublished',
    'welcome-1',
    {
      announcementId: 'welcome-1',
      insurerCode: 'ASMARI',
      title: 'به پرتال اعضا خوش آمدید',
      body: 'گزارش خسارت‌ها، معرفی‌نامه‌ها و مراکز درمانی طرف قرارداد در این پرتال در دسترس است.',
      publishedAt: '2026-11-01T09:00:00+03:30',
    },
    1,
  ),
  ev(
    Topics.insurerClaims,
    'ClaimRegistered',
    '14543759',
    {
      ...claimBase,
      claimId: '14543759',
      reason: 'عینک',
      serviceCategory: 'GLASSES',
      admissionDate: '2019-09-05',
      registeredAt: '2019-09-10',
      requestedAmount: 8_500_000,
    },
    1,
    '2019-09-10T10:00:00+04:30',
  ),
  ev(
    Topics.insurerClaims,
    'ClaimCalculated',
    '14543759',
    {
      claimId: '14543759',
      deductionsAmount: 1_500_000,
      coveredAmount: 7_000_000,
      franchiseAmount: 700_000,
      payableAmount: 6_300_000,
      issuedAt: '2019-09-22',
      deductionLines: [{ description: 'مازاد سقف تعهد عینک', amount: 1_500_000 }],
    },
    2,
    '2019-09-22T10:00:00+04:30',
  ),
  ev(
    Topics.insurerClaims,
    'ClaimRegistered',
    '15342268',
    {
      ...claimBase,
      claimId: '15342268',
      reason: 'آزمایش',
      serviceCategory: 'LAB',
      admissionDate: '2019-10-18',
      registeredAt: '2019-11-03',
      requestedAmount: 3_146_000,
    },
    1,
    '2019-11-03T08:15:00+03:30',
  ),
  ev(
    Topics.insurerClaims,
    'ClaimCalculated',
    '15342268',
    {
      claimId: '15342268',
      deductionsAmount: 0,
      coveredAmount: 3_146_000,
      franchiseAmount: 314_600,
      payableAmount: 2_831_400,
      issuedAt: '2019-11-09',
    },
    2,
    '2019-11-09T09:00:00+03:30',
  ),
  ev(
    Topics.insurerClaims,
    'ClaimSentToBank',
    '15342268',
    {
      claimId: '15342268',
      sentAt: '2019-11-11T10:00:00+03:30',
      amount: 2_831_400,
    },
    3,
    '2019-11-11T10:00:00+03:30',
  ),
  ev(
    Topics.insurerProviders,
    'ProviderUpserted',
    '1001',
    {
      providerId: '1001',
      name: 'بیمارستان شفا',
      type: 'PRIVATE_HOSPITAL',
      province: 'فارس',
      city: 'شیراز',
      address: 'خیابان ۷ تیر، تقاطع اردیبهشت',
      issuesReferral: true,
      onlineReferral: true,
      contracted: true,
    },
    1,
  ),
  ev(
    Topics.insurerProviders,
    'ProviderUpserted',
    '1002',
    {
      providerId: '1002',
      name: 'بیمارستان استاد مطهری',
      type: 'PUBLIC_HOSPITAL',
      province: 'فارس',
      city: 'جهرم',
      address: 'بلوار استاد مطهری',
      issuesReferral: true,
      onlineReferral: false,
      contracted: true,
    },
    1,
  ),
];
