// Property-based, on real Kafka and PostgreSQL: for generated claim histories,
// delivered shuffled, with duplicates and split across consumer restarts, the
// read model equals the history folded in order by a plain reference model.
import { randomUUID } from 'node:crypto';
import { Topics, type NewEvent } from '@darman/contracts';
import { createKafka, EventPublisher, PgTransactionalDb, provisionTopics, TopicNamer, type KafkaClient } from '@darman/messaging';
import { createServiceDatabase, dropDatabase, eventually, newNationalCode, testBrokers, uniqueToken } from '@darman/testing';
import fc from 'fast-check';
import { claimsConsumer } from './factories/claims-consumer.js';

interface History {
  requested: number;
  deductions: number;
  franchise: number;
  /** How far the claim got: 1 registered … 4 paid; a rejection after `rejectAfter` events instead. */
  steps: 1 | 2 | 3 | 4;
  rejectAfter: 1 | 2 | null;
}

/** The reference model: what a member must see after these events, applied in order. */
function expected(h: History) {
  const covered = h.requested - h.deductions;
  const payable = covered - h.franchise;
  if (h.rejectAfter !== null) {
    return { status: 'REJECTED', payable: h.rejectAfter === 2 ? String(payable) : null, timeline: h.rejectAfter === 2 ? 3 : 2 };
  }
  const status = ['REGISTERED', 'CALCULATED', 'SENT_TO_BANK', 'PAID'][h.steps - 1]!;
  return { status, payable: h.steps >= 2 ? String(payable) : null, timeline: h.steps };
}

function events(claimId: string, patient: string, h: History): NewEvent[] {
  const covered = h.requested - h.deductions;
  const payable = covered - h.franchise;
  const list: NewEvent[] = [
    {
      eventType: 'ClaimRegistered',
      subject: claimId,
      sequence: 1,
      data: {
        claimId,
        contractNumber: 'P-1',
        patientNationalCode: patient,
        mainMemberNationalCode: patient,
        kind: 'REIMBURSEMENT',
        reason: 'ویزیت',
        admissionDate: '2026-01-10',
        registeredAt: '2026-01-12',
        requestedAmount: h.requested,
      },
    },
  ];
  const calc: NewEvent = {
    eventType: 'ClaimCalculated',
    subject: claimId,
    sequence: 2,
    data: {
      claimId,
      deductionsAmount: h.deductions,
      coveredAmount: covered,
      franchiseAmount: h.franchise,
      payableAmount: payable,
      issuedAt: '2026-01-15',
    },
  };
  if (h.rejectAfter !== null) {
    if (h.rejectAfter === 2) list.push(calc);
    list.push({
      eventType: 'ClaimRejected',
      subject: claimId,
      sequence: h.rejectAfter + 1,
      data: { claimId, rejectedAt: '2026-01-16', reason: 'مدارک ناقص' },
    });
    return list;
  }
  if (h.steps >= 2) list.push(calc);
  if (h.steps >= 3)
    list.push({
      eventType: 'ClaimSentToBank',
      subject: claimId,
      sequence: 3,
      data: { claimId, sentAt: '2026-01-20T11:00:00+03:30', amount: payable },
    });
  if (h.steps >= 4)
    list.push({ eventType: 'ClaimPaid', subject: claimId, sequence: 4, data: { claimId, paidAt: '2026-01-21T09:00:00+03:30' } });
  return list;
}

const history: fc.Arbitrary<History> = fc
  .record({
    requested: fc.integer({ min: 0, max: 50_000_000 }),
    deductionShare: fc.double({ min: 0, max: 1, noNaN: true }),
    franchiseShare: fc.double({ min: 0, max: 1, noNaN: true }),
    steps: fc.constantFrom<History['steps']>(1, 2, 3, 4),
    rejectAfter: fc.constantFrom<History['rejectAfter']>(null, null, null, 1, 2),
  })
  .map(({ requested, deductionShare, franchiseShare, steps, rejectAfter }) => {
    const deductions = Math.floor(requested * deductionShare);
    return { requested, deductions, franchise: Math.floor((requested - deductions) * franchiseShare), steps, rejectAfter };
  });

describe('claims read model under any delivery (property-based, real Kafka and PostgreSQL)', () => {
  let kafka: KafkaClient;
  let namer: TopicNamer;
  let publisher: EventPublisher;
  let dbUrl: string;
  /** The consumer's connection type in the service (EventConsumersModule): node-postgres. */
  let db: PgTransactionalDb;
  const patient = newNationalCode();

  beforeAll(async () => {
    kafka = createKafka({ brokers: testBrokers().split(','), clientId: 'claims-property' });
    namer = new TopicNamer(`itp${uniqueToken()}.`);
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, namer);
    await admin.disconnect();
    publisher = new EventPublisher(kafka, 'asmari-core', namer);
    dbUrl = await createServiceDatabase('claims');
    db = new PgTransactionalDb(dbUrl);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await db?.$disconnect();
    if (dbUrl) await dropDatabase(dbUrl);
  });

  const consumer = () => claimsConsumer({ kafka, namer, publisher, db, dbUrl, maxBatchSize: 7 });

  it('equals the in-order fold of every history, whatever the order, duplicates and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(history, { minLength: 1, maxLength: 8 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1_000_000 })),
        fc.integer({ min: 1, max: 3 }),
        async (histories, randomness, segments) => {
          const run = uniqueToken();
          const claims = histories.map((h, i) => ({ id: `P${run}-${i}`, h }));
          const all = claims.flatMap(({ id, h }) => events(id, patient, h).map((e) => ({ ...e, eventId: randomUUID() })));
          // Shuffle, then re-send about a third of them.
          const random = () => randomness.next().value as number;
          const delivery = [...all, ...all.filter(() => random() % 3 === 0)];
          for (let i = delivery.length - 1; i > 0; i--) {
            const j = random() % (i + 1);
            [delivery[i], delivery[j]] = [delivery[j]!, delivery[i]!];
          }
          // Each segment is consumed by a fresh consumer (a restart of the service).
          const size = Math.ceil(delivery.length / segments);
          for (let s = 0; s < segments; s++) {
            const c = consumer();
            await c.start();
            for (const event of delivery.slice(s * size, (s + 1) * size)) await publisher.publish(Topics.insurerClaims, event);
            await eventually(async () => {
              const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>(
                `SELECT count(DISTINCT event_id)::int AS n FROM inbox_events WHERE subject LIKE $1`,
                `P${run}-%`,
              );
              const sent = new Set(delivery.slice(0, (s + 1) * size).map((e) => e.eventId)).size;
              return n === sent ? true : undefined;
            }, 60_000);
            await c.stop();
          }
          const rows = await db.$queryRawUnsafe<{ claim_id: string; status: string; payable: string | null; timeline: number }[]>(
            `SELECT claim_id, status, payable_amount::text AS payable, jsonb_array_length(timeline)::int AS timeline
               FROM claims WHERE claim_id LIKE $1 ORDER BY claim_id`,
            `P${run}-%`,
          );
          expect(rows).toEqual(
            claims.map(({ id, h }) => ({ claim_id: id, ...expected(h) })).sort((a, b) => (a.claim_id < b.claim_id ? -1 : 1)),
          );
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
  }, 300_000);
});
