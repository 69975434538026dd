// Property-based, on real Kafka and PostgreSQL: for generated decision histories of the referral unit, delivered
// shuffled, with duplicates, some before their request exists, malformed ones among them, and split across
// consumer restarts, each request ends where a plain reference model says; decisions for a cancelled request and
// malformed ones reach the DLQ with their codes, and nothing else does.
import { randomUUID } from 'node:crypto';
import { dlqTopic, DlqHeaders, Topics, type NewEvent } from '@darman/contracts';
import { createKafka, EventPublisher, PgTransactionalDb, provisionTopics, TopicNamer, type KafkaClient } from '@darman/messaging';
import { loadConfig } from '@darman/platform';
import {
  ConsumerApp,
  contractUpserted,
  createServiceDatabase,
  dropDatabase,
  eventually,
  memberEnrolled,
  newMobile,
  newNationalCode,
  readWholeTopic,
  testBrokers,
  uniqueToken,
} from '@darman/testing';
import fc from 'fast-check';
import pino from 'pino';
import { pdf, plainPng } from '../src/attachments/attachment-fixtures.js';
import { AppModule } from '../src/app.module.js';
import { ReferralsConfig } from '../src/config/referrals.config.js';
import { ReferralsReadModel } from '../src/decisions/referrals-read-model.js';
import { ReferralsService } from '../src/referrals/referrals.service.js';
import { newTrackingCode, TrackingCodes } from '../src/referrals/tracking-code.js';

type Final = 'APPROVED' | 'REJECTED' | null;

interface Story {
  /** The unit's steps before its final word, in the source's order. */
  documents: boolean;
  exam: boolean;
  final: Final;
  /** The member withdraws the request before any decision reaches Darman. */
  cancelled: boolean;
  /** How many of the decisions are published before the request is made. */
  early: number;
}

function decisions(code: string, s: Story): NewEvent[] {
  const list: NewEvent[] = [];
  const next = () => list.length + 1;
  if (s.documents) {
    list.push({
      eventType: 'ReferralDocumentsRequested',
      subject: code,
      sequence: next(),
      data: { trackingCode: code, documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش' }] },
    });
  }
  if (s.exam) {
    list.push({
      eventType: 'ReferralExamRequired',
      subject: code,
      sequence: next(),
      data: { trackingCode: code, examAt: '2026-12-20T09:00:00+03:30', examPlace: `شعبه ${code}` },
    });
  }
  if (s.final === 'APPROVED') {
    list.push({
      eventType: 'ReferralApproved',
      subject: code,
      sequence: next(),
      data: { trackingCode: code, letterNumber: `L-${code}`, validUntil: '2099-01-01' },
    });
  }
  if (s.final === 'REJECTED') {
    list.push({ eventType: 'ReferralRejected', subject: code, sequence: next(), data: { trackingCode: code, reason: 'خارج از تعهد' } });
  }
  return list.map((e) => ({ ...e, eventId: randomUUID() }));
}

/** The reference model: the decision last in the source's order decides; a cancelled request stays cancelled. */
function expected(s: Story): { status: string; letter: string | null } {
  if (s.cancelled) return { status: 'CANCELLED', letter: null };
  if (s.final) return { status: s.final, letter: s.final === 'APPROVED' ? 'L' : null };
  if (s.exam) return { status: 'EXAM_REQUIRED', letter: null };
  if (s.documents) return { status: 'DOCUMENTS_REQUESTED', letter: null };
  return { status: 'SUBMITTED', letter: null };
}

const story: fc.Arbitrary<Story> = fc
  .record({
    documents: fc.boolean(),
    exam: fc.boolean(),
    final: fc.constantFrom<Final>('APPROVED', 'REJECTED', null),
    cancelled: fc.boolean(),
    early: fc.integer({ min: 0, max: 3 }),
  })
  .map((s) => (s.cancelled ? { ...s, early: 0 } : s));

describe('referral decisions under any delivery (property-based, real Kafka and PostgreSQL)', () => {
  let kafka: KafkaClient;
  let namer: TopicNamer;
  let publisher: EventPublisher;
  let dbUrl: string;
  let db: PgTransactionalDb;
  const main = newNationalCode();
  const contract = `RP${uniqueToken()}`;
  const caller = { nationalCode: main, membershipType: 'GROUP' as const, sessionId: 'property' };

  const consumer = () => {
    const config = loadConfig(ReferralsConfig, {
      PORT: '1',
      DATABASE_URL: dbUrl,
      KAFKA_BROKERS: testBrokers(),
      TOPIC_PREFIX: namer.prefix,
      LOG_LEVEL: 'silent',
    });
    return ConsumerApp.forService(AppModule.register(config), {
      kafka,
      namer,
      publisher,
      db,
      groupId: 'darman-referrals',
      logger: pino({ level: 'silent' }),
      sessionTimeoutMs: 6000,
      maxBatchSize: 5,
      projections: [ReferralsReadModel],
    });
  };

  beforeAll(async () => {
    kafka = createKafka({ brokers: testBrokers().split(','), clientId: 'referrals-property' });
    namer = new TopicNamer(`itr${uniqueToken()}.`);
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, namer);
    await admin.disconnect();
    publisher = new EventPublisher(kafka, 'asmari-referrals', namer);
    dbUrl = await createServiceDatabase('referrals');
    db = new PgTransactionalDb(dbUrl);
    // The household and the centre, through the service's own consumers.
    const setup = consumer();
    await setup.start();
    await publisher.publishMany(Topics.insurerMembers, [
      contractUpserted({ contractNumber: contract }),
      memberEnrolled({ nationalCode: main, contractNumber: contract, mainMemberNationalCode: main, mobile: newMobile() }),
    ]);
    await publisher.publish(Topics.insurerProviders, {
      eventType: 'ProviderUpserted',
      subject: 'RP-1',
      data: {
        providerId: 'RP-1',
        name: 'بیمارستان آزمون',
        type: 'PRIVATE_HOSPITAL',
        city: 'تهران',
        address: 'خیابان آزادی',
        issuesReferral: true,
        onlineReferral: false,
        contracted: true,
      },
    });
    await eventually(async () => {
      const [row] = await db.$queryRawUnsafe<{ p: number; e: number }[]>(
        `SELECT (SELECT count(*)::int FROM referral_providers) AS p, (SELECT count(*)::int FROM registry_enrollments) AS e`,
      );
      return row!.p === 1 && row!.e === 1 ? true : undefined;
    }, 60_000);
    await setup.stop();
  }, 120_000);

  afterAll(async () => {
    await publisher?.disconnect();
    await db?.$disconnect();
    if (dbUrl) await dropDatabase(dbUrl);
  });

  it('ends each request where the last decision in the source order puts it, whatever the delivery', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(story, { minLength: 1, maxLength: 5 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1_000_000 })),
        fc.integer({ min: 1, max: 2 }),
        async (stories, randomness, segments) => {
          const random = () => randomness.next().value as number;
          const cases = stories.map((s) => {
            const code = newTrackingCode();
            return { s, code, events: decisions(code, s) };
          });
          const malformed: NewEvent[] = [];
          const app = consumer();
          await app.start();
          const service = app.get(ReferralsService) as ReferralsService;
          const codes = app.get(TrackingCodes) as TrackingCodes;
          // Decisions that reach Darman before their request (another replica still publishing it).
          const early = cases.flatMap((c) => c.events.slice(0, c.s.early));
          for (const event of early) await publisher.publish(Topics.insurerReferrals, event);
          await waitStored(early.map((e) => e.eventId!));
          for (const c of cases) {
            codes.next = () => c.code;
            await service.create(
              caller,
              {
                patientNationalCode: main,
                contractNumber: contract,
                providerId: 'RP-1',
                admissionDate: '2099-01-01',
                doctorName: 'دکتر آزمون',
                reason: 'جراحی',
                serviceCategory: 'SURGERY',
              },
              [
                { field: 'prescription', filename: 'p.pdf', bytes: pdf() },
                { field: 'nationalCard', filename: 'c.png', bytes: plainPng(8, 8) },
              ],
            );
            if (c.s.cancelled) await service.cancel(caller, c.code, 'انصراف');
            // A malformed decision for it: no letter number.
            malformed.push({
              eventType: 'ReferralApproved',
              subject: c.code,
              eventId: randomUUID(),
              data: { trackingCode: c.code, validUntil: '2099-01-01' },
            });
          }
          await app.stop();
          // The rest, shuffled, about a third of everything sent again, the malformed ones among them.
          const rest = cases.flatMap((c) => c.events.slice(c.s.early));
          const delivery = [...rest, ...[...early, ...rest].filter(() => random() % 3 === 0)];
          for (let i = delivery.length - 1; i > 0; i--) {
            const j = random() % (i + 1);
            [delivery[i], delivery[j]] = [delivery[j]!, delivery[i]!];
          }
          const size = Math.ceil(delivery.length / segments);
          for (let s = 0; s < segments; s++) {
            const c = consumer();
            await c.start();
            for (const event of delivery.slice(s * size, (s + 1) * size)) await publisher.publish(Topics.insurerReferrals, event);
            if (s === segments - 1) {
              // Sent as raw messages: the publisher would refuse to send them.
              await publisher.sendRaw(
                Topics.insurerReferrals,
                malformed.map((e) => ({
                  key: e.subject,
                  value: JSON.stringify({ ...e, eventVersion: 1, occurredAt: new Date().toISOString(), source: 'asmari-referrals' }),
                })),
              );
            }
            await waitHandled(new Set(delivery.slice(0, (s + 1) * size).map((e) => e.eventId!)));
            if (s === segments - 1) {
              const ids = new Set(malformed.map((e) => e.eventId!));
              await eventually(
                async () => {
                  const refused = [...(await dlqEventIds('MISSING_FIELD'))].filter((id) => ids.has(id));
                  return refused.length === ids.size ? true : undefined;
                },
                60_000,
                'every malformed decision in the DLQ',
              );
            }
            await c.stop();
          }
          const rows = await db.$queryRawUnsafe<{ tracking_code: string; status: string; letter: string | null }[]>(
            `SELECT tracking_code, status, letter_number AS letter FROM referrals WHERE tracking_code = ANY($1::text[])`,
            cases.map((c) => c.code),
          );
          const actual = Object.fromEntries(rows.map((r) => [r.tracking_code, { status: r.status, letter: r.letter ? 'L' : null }]));
          expect(actual).toEqual(Object.fromEntries(cases.map((c) => [c.code, expected(c.s)])));
          // Exactly the decisions for cancelled requests were refused against state, once each.
          const conflicts = await dlqEventIds('STATE_CONFLICT');
          const forCancelled = cases.filter((c) => c.s.cancelled).flatMap((c) => c.events.map((e) => e.eventId!));
          const mine = new Set(cases.flatMap((c) => c.events.map((e) => e.eventId!)));
          expect([...conflicts].filter((id) => mine.has(id)).sort()).toEqual([...new Set(forCancelled)].sort());
        },
      ),
      { numRuns: 5, endOnFailure: true },
    );
  }, 600_000);

  /** Every one of these events is in the store. */
  async function waitStored(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await eventually(async () => {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM inbox_events WHERE event_id = ANY($1::uuid[])`,
        eventIds,
      );
      return row!.n === new Set(eventIds).size ? true : undefined;
    }, 60_000);
  }

  /** Every one of these events is either in the store or in the DLQ (refused against state). */
  async function waitHandled(eventIds: Set<string>): Promise<void> {
    await eventually(async () => {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM inbox_events WHERE event_id = ANY($1::uuid[])`,
        [...eventIds],
      );
      const refused = [...(await dlqEventIds('STATE_CONFLICT'))].filter((id) => eventIds.has(id)).length;
      return row!.n + refused === eventIds.size ? true : undefined;
    }, 60_000);
  }

  async function dlqEventIds(code: string): Promise<Set<string>> {
    const messages = await readWholeTopic(kafka, dlqTopic(namer.topic(Topics.insurerReferrals)));
    return new Set(
      messages.filter((m) => m.headers[DlqHeaders.errorCode] === code).map((m) => (JSON.parse(m.value!) as { eventId: string }).eventId),
    );
  }
});
