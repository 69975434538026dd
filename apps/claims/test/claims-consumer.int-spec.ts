// The claims consumer on real Kafka and PostgreSQL: every invalid-event class
// lands in the DLQ with its own code (including those only found invalid
// against state, even when they arrived before the event they depend on),
// and delivery order does not change the read model.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DlqHeaders, dlqTopic, Topics, type NewEvent } from '@darman/contracts';
import {
  createKafka,
  EventPublisher,
  PgTransactionalDb,
  provisionTopics,
  TopicNamer,
  type KafkaClient,
  type KafkaProducer,
} from '@darman/messaging';
import {
  createServiceDatabase,
  dropDatabase,
  eventually,
  newNationalCode,
  readWholeTopic,
  REPO_ROOT,
  testBrokers,
  uniqueToken,
} from '@darman/testing';
import { claimsConsumer } from './factories/claims-consumer.js';

const patient = newNationalCode();

const registered = (claimId: string, requestedAmount = 3_146_000, sequence = 1): NewEvent => ({
  eventType: 'ClaimRegistered',
  subject: claimId,
  sequence,
  data: {
    claimId,
    contractNumber: '1722169',
    patientNationalCode: patient,
    mainMemberNationalCode: patient,
    kind: 'REIMBURSEMENT',
    reason: 'آزمایش',
    serviceCategory: 'LAB',
    admissionDate: '2019-10-18',
    registeredAt: '2019-11-03',
    requestedAmount,
  },
});
const calculated = (claimId: string, covered = 3_146_000, deductions = 0, sequence = 2): NewEvent => ({
  eventType: 'ClaimCalculated',
  subject: claimId,
  sequence,
  data: {
    claimId,
    deductionsAmount: deductions,
    coveredAmount: covered,
    franchiseAmount: 314_600,
    payableAmount: covered - 314_600,
    issuedAt: '2019-11-09',
    returnLetterNumber: 'RL-1',
  },
});
const sent = (claimId: string, amount = 2_831_400, sequence = 3): NewEvent => ({
  eventType: 'ClaimSentToBank',
  subject: claimId,
  sequence,
  data: { claimId, sentAt: '2019-11-11T10:00:00+03:30', amount, payeeIban: 'IR820540102680020817909002' },
});
const paid = (claimId: string, sequence = 4): NewEvent => ({
  eventType: 'ClaimPaid',
  subject: claimId,
  sequence,
  data: { claimId, paidAt: '2019-11-12T09:00:00+03:30', traceNumber: 'T-1' },
});

describe('claims consumer (real Kafka and PostgreSQL)', () => {
  let kafka: KafkaClient;
  let namer: TopicNamer;
  let producer: KafkaProducer;
  let publisher: EventPublisher;
  let dbUrl: string;
  /** The consumer's connection type in the service (EventConsumersModule): node-postgres. */
  let db: PgTransactionalDb;
  let consumer: { stop(): Promise<void> };

  beforeAll(async () => {
    kafka = createKafka({ brokers: testBrokers().split(','), clientId: 'claims-it' });
    namer = new TopicNamer(`itc${uniqueToken()}.`);
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, namer);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    publisher = new EventPublisher(kafka, 'asmari-core', namer);
    dbUrl = await createServiceDatabase('claims');
    db = new PgTransactionalDb(dbUrl);
    const app = claimsConsumer({ kafka, namer, publisher, db, dbUrl });
    await app.start();
    consumer = app;
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await publisher?.disconnect();
    await db?.$disconnect();
    if (dbUrl) await dropDatabase(dbUrl);
  });

  const status = async (claimId: string) =>
    (await db.$queryRawUnsafe<{ status: string }[]>('SELECT status FROM claims WHERE claim_id = $1', claimId))[0]?.status;

  /** Raw message, so invalid ones can be sent as an insurer system might. */
  async function sendRaw(key: string, value: string) {
    await producer.send({ topic: namer.topic(Topics.insurerClaims), messages: [{ key, value }] });
  }
  const envelope = (event: NewEvent) =>
    JSON.stringify({ eventId: randomUUID(), eventVersion: 1, occurredAt: '2019-11-03T08:15:00+03:30', source: 'asmari-core', ...event });

  it('sends each invalid-event class to the DLQ with its own code, and keeps applying valid events', async () => {
    const id = (name: string) => `${name}${uniqueToken()}`;
    const ids = {
      json: id('J'),
      type: id('T'),
      missing: id('M'),
      code: id('N'),
      stateless: id('S'),
      stateful: id('F'),
      amount: id('A'),
      good: id('G'),
    };
    await sendRaw(ids.json, '{"eventId": "not closed"');
    await sendRaw(ids.type, envelope({ eventType: 'ClaimTeleported', subject: ids.type, data: { claimId: ids.type } }));
    const noAmount = registered(ids.missing);
    delete (noAmount.data as Record<string, unknown>).requestedAmount;
    await sendRaw(ids.missing, envelope(noAmount));
    const badCode = registered(ids.code);
    (badCode.data as Record<string, unknown>).patientNationalCode = '0499370898';
    await sendRaw(ids.code, envelope(badCode));
    const brokenPayable = calculated(ids.stateless);
    (brokenPayable.data as Record<string, unknown>).payableAmount = 1;
    await sendRaw(ids.stateless, envelope(brokenPayable));
    // Covered ≠ requested − deductions can only be seen against the registration; it arrives first here.
    await publisher.publishMany(Topics.insurerClaims, [calculated(ids.stateful, 3_000_000, 0), registered(ids.stateful)]);
    await publisher.publishMany(Topics.insurerClaims, [registered(ids.amount), calculated(ids.amount), sent(ids.amount, 2_000_000)]);
    await publisher.publishMany(Topics.insurerClaims, [registered(ids.good), calculated(ids.good), sent(ids.good), paid(ids.good)]);

    await eventually(async () => ((await status(ids.good)) === 'PAID' ? true : undefined), 30_000, 'the valid claim paid');
    const expected = {
      [ids.json]: 'MALFORMED_JSON',
      [ids.type]: 'UNKNOWN_EVENT_TYPE',
      [ids.missing]: 'MISSING_FIELD',
      [ids.code]: 'INVALID_NATIONAL_CODE',
      [ids.stateless]: 'INVARIANT_VIOLATED',
      [ids.stateful]: 'INVARIANT_VIOLATED',
      [ids.amount]: 'AMOUNT_MISMATCH',
    };
    const dlq = await eventually(async () => {
      const messages = await readWholeTopic(kafka, namer.topic(dlqTopic(Topics.insurerClaims)));
      return messages.length >= Object.keys(expected).length ? messages : undefined;
    }, 30_000);
    expect(Object.fromEntries(dlq.map((m) => [m.key, m.headers[DlqHeaders.errorCode]]))).toEqual(expected);
    for (const m of dlq) expect(m.headers[DlqHeaders.originalTopic]).toBe(namer.topic(Topics.insurerClaims));
    // The refused events changed nothing: the claims stay where their valid events put them.
    expect(await status(ids.stateful)).toBe('REGISTERED');
    expect(await status(ids.amount)).toBe('CALCULATED');
    expect(await status(ids.missing)).toBeUndefined();
  });

  it('ends in the same row whatever the delivery order, with duplicates', async () => {
    const claimId = `O${uniqueToken()}`;
    const events = [paid(claimId), sent(claimId), calculated(claimId), registered(claimId)].map((e) => ({ ...e, eventId: randomUUID() }));
    for (const event of events) await publisher.publish(Topics.insurerClaims, event);
    await publisher.publishMany(Topics.insurerClaims, [events[1]!, events[3]!]);
    await eventually(async () => ((await status(claimId)) === 'PAID' ? true : undefined), 30_000, 'claim paid');
    const [row] = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT requested_amount::text, covered_amount::text, franchise_amount::text, payable_amount::text, sent_amount::text,
              payee_iban_masked, timeline FROM claims WHERE claim_id = $1`,
      claimId,
    );
    expect(row).toEqual({
      requested_amount: '3146000',
      covered_amount: '3146000',
      franchise_amount: '314600',
      payable_amount: '2831400',
      sent_amount: '2831400',
      payee_iban_masked: 'IR••••••••••••••••••••9002',
      timeline: [
        { status: 'REGISTERED', at: '2019-11-03' },
        { status: 'CALCULATED', at: '2019-11-09' },
        { status: 'SENT_TO_BANK', at: '2019-11-11T10:00:00+03:30' },
        { status: 'PAID', at: '2019-11-12T09:00:00+03:30' },
      ],
    });
  });

  it('rebuilds exactly the rows live consumption produced (npm run claims:rebuild)', async () => {
    const snapshot = () =>
      db.$queryRawUnsafe<unknown[]>(
        `SELECT claim_id, status, requested_amount::text, payable_amount::text, sent_amount::text, timeline, search_text, payee_iban_masked
           FROM claims ORDER BY claim_id`,
      );
    const live = await snapshot();
    expect(live.length).toBeGreaterThanOrEqual(4);
    await db.$executeRawUnsafe(`UPDATE claims SET status = 'REJECTED', timeline = '[]'`);
    const run = spawnSync(process.execPath, ['dist/apps/claims/src/rebuild.cli.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/claims rebuild: \d+ claims from \d+ stored events/);
    expect(await snapshot()).toEqual(live);
  });
});
