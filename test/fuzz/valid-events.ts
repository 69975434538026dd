// Valid insurer events, per consumed topic, that the consumer fuzzer mutates: the demo seed's events, the test
// factories' contracts and members, and referral-unit decisions. Every one passes the contract (checked at load).
import { Topics, validateEvent, type NewEvent, type TopicName } from '@darman/contracts';
import { DEMO_EVENTS } from '../../scripts/seed/demo-data.js';
import { contractUpserted, memberEnrolled } from '../../libs/testing/src/factories.js';

/** The insurer topics Darman consumes and the consumer groups (without the topic prefix) that read each. */
export const CONSUMED_TOPICS: Record<string, readonly string[]> = {
  [Topics.insurerMembers]: ['darman-identity', 'darman-claims', 'darman-referrals'],
  [Topics.insurerClaims]: ['darman-claims'],
  [Topics.insurerProviders]: ['darman-providers', 'darman-referrals'],
  [Topics.insurerReferrals]: ['darman-referrals'],
};

/** The service whose database holds a group's inbox. */
export const SERVICE_OF_GROUP: Record<string, string> = {
  'darman-identity': 'identity',
  'darman-claims': 'claims',
  'darman-referrals': 'referrals',
  'darman-providers': 'providers',
};

export type Envelope = Record<string, unknown> & { data: Record<string, unknown> };

function envelope(event: NewEvent): Envelope {
  return {
    eventId: event.eventId ?? '00000000-0000-4000-8000-000000000000',
    eventType: event.eventType,
    eventVersion: 1,
    occurredAt: event.occurredAt ?? '2024-05-01T10:00:00+03:30',
    source: event.source ?? 'asmari-core',
    subject: event.subject,
    ...(event.sequence !== undefined ? { sequence: event.sequence } : {}),
    data: event.data as Record<string, unknown>,
  };
}

const decisions: NewEvent[] = [
  {
    eventType: 'ReferralApproved',
    subject: 'FUZZ0000A',
    sequence: 2,
    data: { trackingCode: 'FUZZ0000A', letterNumber: 'L-1404-1', validUntil: '2030-01-01', validFrom: '2026-01-01' },
  },
  {
    eventType: 'ReferralRejected',
    subject: 'FUZZ0000B',
    sequence: 1,
    data: { trackingCode: 'FUZZ0000B', reason: 'مدارک ناقص', reasonCode: 'DOCS' },
  },
  {
    eventType: 'ReferralExamRequired',
    subject: 'FUZZ0000C',
    data: { trackingCode: 'FUZZ0000C', examAt: '2026-02-01T09:00:00+03:30', examPlace: 'دفتر پزشک معتمد' },
  },
  {
    eventType: 'ReferralDocumentsRequested',
    subject: 'FUZZ0000D',
    data: { trackingCode: 'FUZZ0000D', documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک' }], dueBy: '2026-03-01' },
  },
];

/** Valid envelopes per consumed topic (their eventIds are replaced by the fuzzer). */
export function validCorpus(): Record<string, Envelope[]> {
  const corpus: Record<string, Envelope[]> = Object.fromEntries(Object.keys(CONSUMED_TOPICS).map((t) => [t, []]));
  for (const seed of DEMO_EVENTS) corpus[seed.topic]?.push(envelope(seed.event));
  corpus[Topics.insurerMembers]!.push(
    envelope(contractUpserted({ contractNumber: 'FZ-1', status: 'SUSPENDED' }, 3)),
    envelope(
      memberEnrolled({ nationalCode: '0499370910', contractNumber: 'FZ-1', mainMemberNationalCode: '0499370899', relation: 'CHILD' }, 2),
    ),
  );
  corpus[Topics.insurerReferrals]!.push(...decisions.map(envelope));
  for (const [topic, events] of Object.entries(corpus)) {
    for (const e of events) {
      const checked = validateEvent(topic as TopicName, JSON.stringify(e), String(e.subject));
      if (!checked.ok) throw new Error(`the fuzz corpus has an invalid ${String(e.eventType)} on ${topic}: ${checked.message}`);
    }
  }
  return corpus;
}
