import { Type } from 'class-transformer';
import { IsNumber, ValidateNested } from 'class-validator';
import fc from 'fast-check';
import { withNationalCodeCheckDigit } from '@darman/persian';
import { validInstance } from './compiled-validation.js';
import { EventEnvelope } from './envelope.js';
import { EVENT_REGISTRY } from './registry.js';
import { Topics, type TopicName } from './topics.js';
import { validateEventObject, type EventValidationResult } from './validate-event.js';

const main = withNationalCodeCheckDigit('049937089');
const spouse = withNationalCodeCheckDigit('049937090');
const at = '2026-01-10T09:00:00+03:30';

/** One valid event of every type of every topic, as a producer would send it. */
const FIXTURES: { topic: TopicName; eventType: string; subject: string; data: Record<string, unknown> }[] = [
  {
    topic: Topics.insurerMembers,
    eventType: 'ContractUpserted',
    subject: '1722169',
    data: {
      contractNumber: '1722169',
      title: 'درمان تکمیلی',
      policyholderName: 'شرکت نمونه',
      insurerCode: 'ASMARI',
      insurerName: 'بیمه آسماری',
      startDate: '2019-03-21',
      endDate: '2027-03-20',
      status: 'ACTIVE',
    },
  },
  {
    topic: Topics.insurerMembers,
    eventType: 'MemberEnrolled',
    subject: spouse,
    data: {
      nationalCode: spouse,
      firstName: 'مریم',
      lastName: 'احمدی',
      birthDate: '1988-07-15',
      mobile: '09121234567',
      contractNumber: '1722169',
      membershipType: 'GROUP',
      relation: 'SPOUSE',
      mainMemberNationalCode: main,
      coverageStart: '2019-03-21',
      coverageEnd: '2027-03-20',
    },
  },
  {
    topic: Topics.insurerMembers,
    eventType: 'MemberUpdated',
    subject: main,
    data: { nationalCode: main, contractNumber: '1722169', mobile: '۰۹۱۲۱۲۳۴۵۶۷', coverageEnd: '2027-03-20' },
  },
  {
    topic: Topics.insurerMembers,
    eventType: 'MemberLeft',
    subject: main,
    data: { nationalCode: main, contractNumber: '1722169', leftOn: '2026-01-01' },
  },
  {
    topic: Topics.insurerMembers,
    eventType: 'InsurerUpserted',
    subject: 'ASMARI',
    data: { insurerCode: 'ASMARI', name: 'بیمه آسماری', logoUrl: 'https://portal.example/logo.svg' },
  },
  {
    topic: Topics.insurerMembers,
    eventType: 'AnnouncementPublished',
    subject: 'a-1',
    data: { announcementId: 'a-1', insurerCode: 'ASMARI', title: 'خوش آمدید', body: 'متن', publishedAt: at, expiresAt: at },
  },
  {
    topic: Topics.insurerClaims,
    eventType: 'ClaimRegistered',
    subject: '15342268',
    data: {
      claimId: '15342268',
      contractNumber: '1722169',
      patientNationalCode: main,
      mainMemberNationalCode: main,
      kind: 'REIMBURSEMENT',
      reason: 'آزمایش',
      serviceCategory: 'LAB',
      admissionDate: '2019-10-18',
      registeredAt: '2019-11-03',
      requestedAmount: 3_146_000,
      providerId: '1001',
    },
  },
  {
    topic: Topics.insurerClaims,
    eventType: 'ClaimCalculated',
    subject: '15342268',
    data: {
      claimId: '15342268',
      deductionsAmount: 1_000,
      coveredAmount: 3_145_000,
      franchiseAmount: 145_000,
      payableAmount: 3_000_000,
      issuedAt: '2019-11-20',
      returnLetterNumber: 'R-1',
      deductionLines: [{ description: 'مازاد', amount: 1_000 }],
    },
  },
  {
    topic: Topics.insurerClaims,
    eventType: 'ClaimSentToBank',
    subject: '15342268',
    data: { claimId: '15342268', sentAt: at, amount: 3_000_000, bankReference: 'B-1', payeeIban: 'IR820540102680020817909002' },
  },
  {
    topic: Topics.insurerClaims,
    eventType: 'ClaimRejected',
    subject: '15342268',
    data: { claimId: '15342268', rejectedAt: '2019-11-20', reason: 'مدارک' },
  },
  {
    topic: Topics.insurerClaims,
    eventType: 'ClaimPaid',
    subject: '15342268',
    data: { claimId: '15342268', paidAt: at, traceNumber: 'T-1' },
  },
  {
    topic: Topics.insurerProviders,
    eventType: 'ProviderUpserted',
    subject: '1001',
    data: {
      providerId: '1001',
      name: 'بیمارستان شفا',
      type: 'PRIVATE_HOSPITAL',
      province: 'فارس',
      city: 'شیراز',
      address: 'خیابان زند',
      phone: '07112345678',
      issuesReferral: true,
      onlineReferral: false,
      contracted: true,
      location: { lat: 29.6, lng: 52.5 },
    },
  },
  { topic: Topics.insurerProviders, eventType: 'ProviderRemoved', subject: '1001', data: { providerId: '1001' } },
  {
    topic: Topics.insurerReferrals,
    eventType: 'ReferralExamRequired',
    subject: 'RF-1',
    data: { trackingCode: 'RF-1', examAt: at, examPlace: 'شعبه مرکزی', note: 'با مدارک' },
  },
  {
    topic: Topics.insurerReferrals,
    eventType: 'ReferralApproved',
    subject: 'RF-1',
    data: { trackingCode: 'RF-1', letterNumber: 'L-1', validUntil: '2026-02-10', validFrom: '2026-01-10', approvedProviderId: '1002' },
  },
  {
    topic: Topics.insurerReferrals,
    eventType: 'ReferralDocumentsRequested',
    subject: 'RF-1',
    data: { trackingCode: 'RF-1', documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک' }], dueBy: '2026-01-20' },
  },
  {
    topic: Topics.insurerReferrals,
    eventType: 'ReferralRejected',
    subject: 'RF-1',
    data: { trackingCode: 'RF-1', reason: 'خارج از تعهد', reasonCode: 'NOT_COVERED' },
  },
  {
    topic: Topics.portalReferrals,
    eventType: 'ReferralRequested',
    subject: 'RF-1',
    data: {
      trackingCode: 'RF-1',
      patientNationalCode: main,
      mainMemberNationalCode: main,
      contractNumber: '1722169',
      providerId: '1001',
      admissionDate: '2026-01-12',
      doctorName: 'دکتر رضایی',
      reason: 'جراحی',
      serviceCategory: 'SURGERY',
      examRequired: false,
      attachments: [{ id: 'f1', kind: 'PRESCRIPTION', contentType: 'image/jpeg', size: 1024, sha256: 'a'.repeat(64) }],
    },
  },
  {
    topic: Topics.portalReferrals,
    eventType: 'ReferralDocumentsAdded',
    subject: 'RF-1',
    data: {
      trackingCode: 'RF-1',
      attachments: [{ id: 'f2', kind: 'MEDICAL_REPORT', contentType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) }],
    },
  },
  { topic: Topics.portalReferrals, eventType: 'ReferralCancelled', subject: 'RF-1', data: { trackingCode: 'RF-1', reason: 'انصراف' } },
  {
    topic: Topics.portalReferrals,
    eventType: 'ReferralExpired',
    subject: 'RF-1',
    data: { trackingCode: 'RF-1', validUntil: '2026-02-10' },
  },
  {
    topic: Topics.portalMembers,
    eventType: 'MemberActivated',
    subject: main,
    data: { nationalCode: main, membershipType: 'GROUP', activatedAt: at },
  },
  {
    topic: Topics.portalMembers,
    eventType: 'MemberContactChanged',
    subject: main,
    data: { nationalCode: main, mobile: '09121234567', email: 'a@b.ir', iban: 'IR820540102680020817909002' },
  },
  {
    topic: Topics.portalNotifications,
    eventType: 'NotificationRequested',
    subject: '09121234567',
    data: { channel: 'SMS', to: '09121234567', template: 'ACTIVATION_CODE', params: { code: '123456', nested: { list: [1, 'x'] } } },
  },
  {
    topic: Topics.portalSessions,
    eventType: 'SessionRevoked',
    subject: '3d0c1f52-8a4e-4b7a-9c2d-5e6f7a8b9c0d',
    data: {
      sessionId: '3d0c1f52-8a4e-4b7a-9c2d-5e6f7a8b9c0d',
      nationalCode: main,
      membershipType: 'GROUP',
      reason: 'LOGOUT',
      revokedAt: at,
    },
  },
];

function envelope(fixture: (typeof FIXTURES)[number]): Record<string, unknown> {
  return {
    eventId: '6f1c2a8e-3b7d-4c1e-9f0a-2d5b8c7e4a10',
    eventType: fixture.eventType,
    eventVersion: 1,
    occurredAt: at,
    source: 'asmari-core',
    subject: fixture.subject,
    sequence: 3,
    data: structuredClone(fixture.data),
  };
}

/** Values a broken producer might send instead of the right one. */
const oddValue = fc.oneof(
  fc.constantFrom('', ' ', null, 0, -1, 1.5, 1e16, 'abc', true, false, [], {}, [null], [{}], '۰۹۱۲۱۲۳۴۵۶۷', '2026-02-30', 'x'.repeat(400)),
  fc.jsonValue({ maxDepth: 2 }),
);
const oddKey = fc.constantFrom('toString', 'constructor', '__proto__', 'invariantViolations', 'hasOwnProperty', 'extra', 'data', 'amount');

/** Object and array nodes of a value, with their paths. */
function containers(value: unknown, path: (string | number)[] = []): { node: Record<string, unknown>; path: (string | number)[] }[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = [{ node: value as Record<string, unknown>, path }];
  return own.concat(Object.entries(value).flatMap(([k, v]) => containers(v, [...path, k])));
}

type Mutation = { op: 'delete' | 'set' | 'add'; pick: number; key: string; value: unknown };

function mutate(raw: Record<string, unknown>, mutations: Mutation[]): void {
  for (const m of mutations) {
    const nodes = containers(raw);
    const { node } = nodes[m.pick % nodes.length]!;
    const keys = Object.keys(node);
    const existing = keys[m.pick % Math.max(keys.length, 1)];
    const key = m.op === 'add' || existing === undefined ? m.key : existing;
    if (m.op === 'delete') delete node[key];
    // defineProperty: a "__proto__" key stays an own data property, as JSON.parse makes it.
    else Object.defineProperty(node, key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
  }
}

/** What a consumer observes of a result, including the classes of the payload and its nested objects. */
function observable(result: EventValidationResult): unknown {
  if (!result.ok) return result;
  const classes: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null) return;
    classes.push(`${path}:${Object.getPrototypeOf(v)?.constructor?.name}`);
    for (const [k, sub] of Object.entries(v)) walk(sub, `${path}.${k}`);
  };
  walk(result.event, '');
  return { json: JSON.stringify(result.event), keys: Object.keys(result.event.data), classes };
}

class Geo {
  @IsNumber() lat!: number;
}

class ByCity {
  @ValidateNested() @Type(() => Geo) byCity!: Map<string, Geo>;
}

describe('compiled event validation', () => {
  it('leaves Map-typed properties to class-transformer, which builds a Map there', () => {
    expect(validInstance(ByCity, { byCity: { lat: 1 } })).toBeUndefined();
  });

  it.each(FIXTURES.map((f) => [f.eventType, f] as const))(
    'accepts the valid %s through the fast path, as class-validator does',
    (_, fixture) => {
      const fast = validateEventObject(fixture.topic, envelope(fixture), fixture.subject);
      const slow = validateEventObject(fixture.topic, envelope(fixture), fixture.subject, { compiled: false });
      expect(slow.ok).toBe(true);
      expect(observable(fast)).toEqual(observable(slow));
      // And the fast path itself vouched for it (it did not fall back).
      const spec = EVENT_REGISTRY[fixture.topic][fixture.eventType]!;
      expect(validInstance(EventEnvelope, envelope(fixture))).toBeInstanceOf(EventEnvelope);
      expect(validInstance(spec.data, structuredClone(fixture.data))).toBeInstanceOf(spec.data);
    },
  );

  it('covers every event type of the registry', () => {
    const registered = Object.values(EVENT_REGISTRY).flatMap((types) => Object.keys(types));
    expect(FIXTURES.map((f) => f.eventType).sort()).toEqual(registered.sort());
  });

  it('gives the same verdict, error and instance as class-transformer + class-validator for mutated events', () => {
    // npm run test:mutation runs this once per mutant, with a tenth of the events (PROPERTY_RUNS_SCALE).
    const runs = Math.ceil(4_000 * Number(process.env.PROPERTY_RUNS_SCALE ?? 1));
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.array(
          fc.record({
            op: fc.constantFrom('delete', 'set', 'add'),
            pick: fc.nat(),
            key: oddKey,
            value: oddValue,
          }) as fc.Arbitrary<Mutation>,
          { minLength: 0, maxLength: 3 },
        ),
        (fixture, mutations) => {
          const raw = envelope(fixture);
          mutate(raw, mutations);
          const slow = validateEventObject(fixture.topic, structuredClone(raw), fixture.subject, { compiled: false });
          const fast = validateEventObject(fixture.topic, structuredClone(raw), fixture.subject);
          if (!slow.ok) invalid++;
          expect(observable(fast)).toEqual(observable(slow));
        },
      ),
      { numRuns: runs },
    );
    // The generator must exercise both verdicts.
    expect(invalid).toBeGreaterThan(runs / 4);
  });
});
