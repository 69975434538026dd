import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DlqHeaders, EventErrorCode, Topics, type ContractEvent, type NewEvent } from '@darman/contracts';
import { withNationalCodeCheckDigit } from '@darman/persian';
import {
  ConsumerApp,
  createServiceDatabase,
  dropDatabase,
  eventually,
  readTopic,
  readWholeTopic,
  TcpProxy,
  testBrokers,
  uniqueToken,
} from '@darman/testing';
import pino from 'pino';
import { consumerFailures } from './metrics.js';
import { addToOutbox, OutboxRelay } from './outbox.js';
import { PgTransactionalDb } from './pg-db.js';
import { TopicNamer } from './topic-namer.js';
import { EventBatchContext, RejectEventError } from './transport/batch-context.js';
import { createKafka, type KafkaClient, type KafkaProducer } from './transport/kafka.js';
import { provisionTopics } from './transport/provisioning.js';
import { EventPublisher, InvalidEventError } from './transport/publisher.js';

const logger = pino({ level: 'silent' });
const patient = withNationalCodeCheckDigit('228112345');

function claimRegistered(claimId: string, eventId: string = randomUUID()): NewEvent {
  return {
    eventId,
    eventType: 'ClaimRegistered',
    source: 'asmari-core',
    subject: claimId,
    sequence: 1,
    data: {
      claimId,
      contractNumber: '1722169',
      patientNationalCode: patient,
      mainMemberNationalCode: patient,
      kind: 'REIMBURSEMENT',
      reason: 'عینک',
      admissionDate: '2019-09-05',
      registeredAt: '2019-09-10',
      requestedAmount: 1000,
    },
  };
}

const raw = (event: NewEvent) => JSON.stringify({ eventVersion: 1, occurredAt: '2019-09-10T10:00:00+04:30', ...event });

describe('messaging against real Kafka and PostgreSQL', () => {
  let kafka: KafkaClient;
  let namer: TopicNamer;
  let producer: KafkaProducer;
  let publisher: EventPublisher;
  let dbUrl: string;
  let proxy: TcpProxy;
  /** The test's own connection, through the proxy too (outbox writes, assertions). */
  let db: PgTransactionalDb;
  /** What EventConsumersModule gives consumers in the services: node-postgres, through the same proxy. */
  let consumerDb: PgTransactionalDb;
  let proxiedUrl: string;
  let cutInsideHandler: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testBrokers().split(','), clientId: 'int-test' });
    namer = new TopicNamer(`it${uniqueToken()}.`);
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, namer);
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    publisher = new EventPublisher(kafka, 'darman-test', namer);
    // identity's schema has both the inbox and the outbox tables.
    dbUrl = await createServiceDatabase('identity');
    const url = new URL(dbUrl);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(await proxy.start());
    proxiedUrl = url.toString();
    db = new PgTransactionalDb(proxiedUrl, logger);
    consumerDb = new PgTransactionalDb(proxiedUrl, logger);
    await db.$executeRawUnsafe('CREATE TABLE applied (event_id uuid NOT NULL, claim_id text NOT NULL)');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await publisher?.disconnect();
    await db?.$disconnect();
    await consumerDb?.$disconnect();
    await proxy?.stop();
    if (dbUrl) await dropDatabase(dbUrl);
  });

  /** A consumer as a service has one: an `@EventPattern` handler served by the batch transport. */
  function consumer(groupId: string, onEvent?: (claimId: string) => void) {
    @Controller()
    class TestClaimsConsumer {
      @EventPattern(['ClaimRegistered'])
      async registered(@Payload() events: ContractEvent<'ClaimRegistered'>[], @Ctx() context: EventBatchContext): Promise<void> {
        for (const event of events) {
          const claimId = event.data.claimId;
          onEvent?.(claimId);
          if (claimId.startsWith('POISON')) throw new RejectEventError(EventErrorCode.StateConflict, 'claim refused by handler');
          await context.tx.$executeRawUnsafe('INSERT INTO applied (event_id, claim_id) VALUES ($1::uuid, $2)', event.eventId, claimId);
          if (claimId.startsWith('CUT') && cutInsideHandler) {
            const cut = cutInsideHandler;
            cutInsideHandler = undefined;
            await cut();
          }
        }
      }
    }
    return ConsumerApp.of([TestClaimsConsumer], { kafka, namer, publisher, db: consumerDb, groupId, logger, sessionTimeoutMs: 6000 });
  }

  const appliedCount = async (claimId: string) => {
    const [{ n }] = await db.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM applied WHERE claim_id = $1', claimId);
    return n;
  };

  /** Sends one raw message; returns where it landed. */
  async function send(claimId: string, value: string | null, key: string | null = claimId) {
    const [meta] = await producer.send({ topic: namer.topic(Topics.insurerClaims), messages: [{ key, value }] });
    return { partition: meta!.partition, offset: Number(meta!.baseOffset) };
  }

  /** Failed attempts the consumer of this group has counted (the transport's own metric). */
  async function transientFailures(groupId: string): Promise<number> {
    const { values } = await consumerFailures.get();
    return values.filter((v) => v.labels.group === namer.group(groupId) && v.labels.kind === 'transient').reduce((n, v) => n + v.value, 0);
  }

  /** Whether the group has committed past this message: it will not be delivered to the group again. */
  async function committedPast(groupId: string, at: { partition: number; offset: number }): Promise<boolean> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId: namer.group(groupId), topics: [namer.topic(Topics.insurerClaims)] });
      return Number(topic?.partitions.find((p) => p.partition === at.partition)?.offset ?? -1) > at.offset;
    } finally {
      await admin.disconnect();
    }
  }

  it('routes malformed JSON and invalid events to the DLQ with the reason, then applies the next message', async () => {
    const c = consumer(`dlq-${uniqueToken()}`);
    await c.start();
    try {
      const claimId = `C${uniqueToken()}`;
      await send(claimId, '{"eventId": oops');
      await send(claimId, raw({ ...claimRegistered(claimId), eventType: 'ClaimTeleported' }));
      await send(claimId, raw(claimRegistered(claimId, 'not-a-uuid')));
      await send(
        claimId,
        raw({ ...claimRegistered(claimId), data: { ...claimRegistered(claimId).data, patientNationalCode: '1234567890' } }),
      );
      await send(claimId, raw(claimRegistered(claimId)));

      await eventually(async () => ((await appliedCount(claimId)) === 1 ? true : undefined), 30_000, 'valid event applied');
      const dlq = await readTopic(kafka, namer.topic(`${Topics.insurerClaims}.dlq`), 4);
      const mine = dlq.filter((m) => m.key === claimId);
      expect(mine.map((m) => m.headers[DlqHeaders.errorCode])).toEqual([
        EventErrorCode.MalformedJson,
        EventErrorCode.UnknownEventType,
        EventErrorCode.InvalidField,
        EventErrorCode.InvalidNationalCode,
      ]);
      expect(mine[0]!.value).toBe('{"eventId": oops');
      expect(mine[0]!.headers[DlqHeaders.originalTopic]).toBe(namer.topic(Topics.insurerClaims));
      expect(mine[0]!.headers[DlqHeaders.errorMessage]).toMatch(/JSON/);
      expect(Number(mine[1]!.headers[DlqHeaders.originalOffset])).toBeGreaterThan(Number(mine[0]!.headers[DlqHeaders.originalOffset]));
      expect(mine[1]!.headers[DlqHeaders.originalPartition]).toMatch(/^\d+$/);
    } finally {
      await c.stop();
    }
  });

  it('copies a refused message too large for the DLQ truncated, with its size and SHA-256, and goes on consuming', async () => {
    const c = consumer(`dlq-big-${uniqueToken()}`);
    await c.start();
    try {
      const claimId = `C${uniqueToken()}`;
      // Just under the broker's 1 MiB message limit: the original fits, the copy with the DLQ headers would not.
      const big = `{"junk":"${'x'.repeat(1_048_400 - 11)}"}`;
      await send(claimId, big);
      await send(claimId, raw(claimRegistered(claimId)));
      await eventually(async () => ((await appliedCount(claimId)) === 1 ? true : undefined), 60_000, 'the next event applied');
      const dlq = await eventually(
        async () => {
          const all = await readWholeTopic(kafka, namer.topic(`${Topics.insurerClaims}.dlq`));
          return all.find((m) => m.key === claimId);
        },
        30_000,
        'the truncated copy in the DLQ',
      );
      expect(dlq.headers[DlqHeaders.truncated]).toBe('true');
      expect(dlq.headers[DlqHeaders.originalSize]).toBe(String(Buffer.byteLength(big)));
      expect(dlq.headers[DlqHeaders.originalSha256]).toBe(createHash('sha256').update(big).digest('hex'));
      expect(dlq.headers[DlqHeaders.errorCode]).toBe(EventErrorCode.MissingField);
      expect(dlq.value).toBe(big.slice(0, 64 * 1024));
    } finally {
      await c.stop();
    }
  });

  it('applies a redelivered event once, within a batch and after a consumer restart', async () => {
    const group = `dedupe-${uniqueToken()}`;
    const claimId = `C${uniqueToken()}`;
    const event = claimRegistered(claimId);
    let first = consumer(group);
    await first.start();
    await send(claimId, raw(event));
    await send(claimId, raw(event));
    await eventually(async () => ((await appliedCount(claimId)) === 1 ? true : undefined), 30_000, 'first delivery');
    await first.stop();

    const seen: string[] = [];
    first = consumer(group, (id) => seen.push(id));
    await first.start();
    try {
      await send(claimId, raw(event));
      const marker = `M${uniqueToken()}`;
      await send(marker, raw(claimRegistered(marker)));
      await eventually(async () => ((await appliedCount(marker)) === 1 ? true : undefined), 30_000, 'marker after redelivery');
      expect(await appliedCount(claimId)).toBe(1);
      expect(seen).not.toContain(claimId);
    } finally {
      await first.stop();
    }
  });

  it('sends an event its handler refuses to the DLQ and keeps applying the others of the batch', async () => {
    const c = consumer(`poison-${uniqueToken()}`);
    const poison = `POISON${uniqueToken()}`;
    const good = `G${uniqueToken()}`;
    await send(poison, raw(claimRegistered(poison)));
    await send(good, raw(claimRegistered(good)));
    await c.start();
    try {
      await eventually(async () => ((await appliedCount(good)) === 1 ? true : undefined), 30_000, 'good event applied');
      const refused = await eventually(async () => {
        const all = await readWholeTopic(kafka, namer.topic(`${Topics.insurerClaims}.dlq`));
        return all.find((m) => m.key === poison);
      });
      expect(refused.headers[DlqHeaders.errorCode]).toBe(EventErrorCode.StateConflict);
      expect(await appliedCount(poison)).toBe(0);
    } finally {
      await c.stop();
    }
  });

  it('loses nothing published while the database is away and applies it when the database returns', async () => {
    const group = `dbdown-${uniqueToken()}`;
    const c = consumer(group);
    await c.start();
    try {
      await eventually(async () => (c.state === 'joined' ? true : undefined), 30_000, 'join');
      await proxy.cut();
      const claimId = `D${uniqueToken()}`;
      const failedBefore = await transientFailures(group);
      const at = await send(claimId, raw(claimRegistered(claimId)));
      // The consumer has tried the batch and failed on the database: the event is in its hands while PostgreSQL is away.
      await eventually(async () => ((await transientFailures(group)) > failedBefore ? true : undefined), 30_000, 'a failed attempt');
      expect(await committedPast(group, at)).toBe(false);
      await proxy.restore();
      await eventually(async () => ((await appliedCount(claimId)) === 1 ? true : undefined), 40_000, 'applied after restore');
      await eventually(async () => ((await committedPast(group, at)) ? true : undefined), 20_000, 'offset committed');
      expect(await appliedCount(claimId)).toBe(1);
    } finally {
      await c.stop();
    }
  });

  it('retries a batch whose database connection drops in the middle of its transaction, and applies it once', async () => {
    const group = `dbcut-${uniqueToken()}`;
    const c = consumer(group);
    await c.start();
    try {
      await eventually(async () => (c.state === 'joined' ? true : undefined), 30_000, 'join');
      // The handler has written its row, then the connection goes: the transaction must roll back, not crash the process.
      cutInsideHandler = async () => {
        await proxy.cut();
        setTimeout(() => void proxy.restore(), 1500);
      };
      const claimId = `CUT${uniqueToken()}`;
      const at = await send(claimId, raw(claimRegistered(claimId)));
      await eventually(async () => ((await appliedCount(claimId)) === 1 ? true : undefined), 40_000, 'applied after the cut');
      expect(cutInsideHandler).toBeUndefined();
      // Once the offset is committed past it, the message is not delivered again: one row is final.
      await eventually(async () => ((await committedPast(group, at)) ? true : undefined), 20_000, 'offset committed');
      expect(await appliedCount(claimId)).toBe(1);
    } finally {
      await c.stop();
    }
  });

  it('node-postgres transactions: a dropped connection rejects the transaction, rolls it back, and the pool recovers', async () => {
    const pgdb = new PgTransactionalDb(proxiedUrl, logger);
    const claimId = `TX${uniqueToken()}`;
    try {
      await expect(
        pgdb.$transaction(async (tx) => {
          await tx.$executeRawUnsafe('INSERT INTO applied (event_id, claim_id) VALUES ($1::uuid, $2)', randomUUID(), claimId);
          await proxy.cut();
          await tx.$executeRawUnsafe('INSERT INTO applied (event_id, claim_id) VALUES ($1::uuid, $2)', randomUUID(), claimId);
        }),
      ).rejects.toThrow();
      await proxy.restore();
      await pgdb.$transaction(async (tx) =>
        tx.$executeRawUnsafe('INSERT INTO applied (event_id, claim_id) VALUES ($1::uuid, $2)', randomUUID(), claimId),
      );
      const [{ n }] = await pgdb.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM applied WHERE claim_id = $1', claimId);
      expect(n).toBe(1);
      // A transaction past its timeout is rolled back: its statement is stopped by statement_timeout.
      await expect(pgdb.$transaction(async (tx) => tx.$executeRawUnsafe('SELECT pg_sleep(2)'), { timeout: 300 })).rejects.toThrow(
        /statement timeout/,
      );
    } finally {
      await proxy.restore();
      await pgdb.$disconnect();
    }
  });

  it("an idle connected client does not spin kafkajs' pending-request timer (the idle-loop fix is in place)", async () => {
    const require = createRequire(import.meta.url);
    const queue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: { checkPendingRequests(): void } };
    const original = queue.prototype.checkPendingRequests;
    let checks = 0;
    queue.prototype.checkPendingRequests = function (this: unknown) {
      checks++;
      return original.call(this);
    };
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      checks = 0;
      await new Promise((r) => setTimeout(r, 1000));
      // Unpatched kafkajs 2.2.4 re-checks about a thousand times a second with nothing to do.
      expect(checks).toBeLessThan(20);
    } finally {
      queue.prototype.checkPendingRequests = original;
      await admin.disconnect();
    }
  });

  it('refuses to publish an event that breaks the contract, and sends nothing', async () => {
    const claimId = `R${uniqueToken()}`;
    await expect(publisher.publish(Topics.insurerClaims, { ...claimRegistered(claimId), data: { claimId } })).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await publisher.publish(Topics.insurerClaims, claimRegistered(claimId));
    const mine = (await readWholeTopic(kafka, namer.topic(Topics.insurerClaims))).filter((m) => m.key === claimId);
    expect(mine).toHaveLength(1);
  });

  it('publishes an outbox row committed before a crash, once the relay runs again', async () => {
    const mobile = '09121234567';
    const ids: string[] = [];
    await db.$transaction(async (tx) => {
      for (const code of ['111111', '222222']) {
        ids.push(
          await addToOutbox(
            tx,
            Topics.portalNotifications,
            {
              eventType: 'NotificationRequested',
              subject: mobile,
              data: { channel: 'SMS', to: mobile, template: 'ACTIVATION_CODE', params: { code } },
            },
            'darman-identity',
          ),
        );
      }
    });
    // The process that committed died before its relay ran; a new one starts.
    const relay = new OutboxRelay({ db, publisher, logger });
    expect(await relay.relayOnce()).toBe(2);
    expect(await relay.relayOnce()).toBe(0);
    const messages = await readTopic(kafka, namer.topic(Topics.portalNotifications), 2);
    expect(messages.map((m) => JSON.parse(m.value!).eventId)).toEqual(ids);
    expect(messages.every((m) => m.key === mobile)).toBe(true);
    expect(await relay.pending()).toBe(0);
  });

  it('rolls back the business transaction when its outbox event is invalid', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO applied (event_id, claim_id) VALUES ($1::uuid, 'rolled-back')`, randomUUID());
        await addToOutbox(
          tx,
          Topics.portalNotifications,
          { eventType: 'NotificationRequested', subject: 'x', data: { to: 'x' } },
          'darman-identity',
        );
      }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    expect(await appliedCount('rolled-back')).toBe(0);
  });
});
