import { DlqHeaders, dlqTopic, EventErrorCode, validateEvent, type TopicName } from '@darman/contracts';
import type { Batch, Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { sleep, type TopicNamer } from './kafka.js';
import { claimNewEvents, groupBy, INBOX_TABLE, type ConsumedEvent } from './inbox.js';
import { batchDuration, consumedMessages, consumerFailures, dlqMessages, trackConsumerGroup } from './metrics.js';
import type { EventPublisher } from './publisher.js';
import type { SqlExecutor, TransactionalDb } from './sql.js';

/** Thrown by a handler to refuse one event (it goes to the DLQ with this code); the rest of the batch applies. */
export class RejectEventError extends Error {
  constructor(
    readonly code: EventErrorCode | string,
    message: string,
  ) {
    super(message);
    this.name = 'RejectEventError';
  }
}

/**
 * Applies new (deduplicated) events inside the transaction that also records
 * them in the inbox. It may reject events that are valid alone but break an
 * invariant against state, now or later (e.g. a ClaimCalculated stored before
 * its ClaimRegistered, found wrong once the registration arrives): those are
 * removed from the inbox in the same transaction and sent to the DLQ after it.
 */
export type EventBatchHandler<Tx extends SqlExecutor> = (
  events: ConsumedEvent[],
  tx: Tx,
) => Promise<void | { rejected?: { eventId: string; code: string; message: string }[] }>;

/** A message bound for the DLQ of `topic` (the contract topic name), with where it came from and why. */
interface DlqEntry {
  topic: string;
  origin: Pick<Batch, 'topic' | 'partition'>;
  message: KafkaMessage;
  error: { code: string; message: string };
}

interface RejectedRow {
  event_id: string;
  topic: string;
  partition: number;
  offset: string;
  envelope: unknown;
  code: string;
  message: string;
}

export interface EventConsumerOptions<Tx extends SqlExecutor> {
  kafka: Kafka;
  namer: TopicNamer;
  /** Used to write DLQ messages. */
  publisher: EventPublisher;
  groupId: string;
  topics: readonly TopicName[];
  db: TransactionalDb<Tx>;
  handle: EventBatchHandler<Tx>;
  logger: Logger;
  sessionTimeoutMs?: number;
  /** Messages applied per database transaction. */
  maxBatchSize?: number;
  partitionsConsumedConcurrently?: number;
  transactionTimeoutMs?: number;
}

export type ConsumerState = 'stopped' | 'connecting' | 'joined' | 'rebalancing' | 'crashed';

interface Parsed {
  message: KafkaMessage;
  consumed?: ConsumedEvent;
  error?: { code: string; message: string };
}

const MAX_BACKOFF_MS = 5_000;

/**
 * The consumer base every service uses. Per batch it validates each message,
 * routes invalid ones to `<topic>.dlq` with the reason, records valid ones in
 * the inbox (dropping eventIds seen before) and calls the handler in the same
 * database transaction, and commits offsets only after that transaction.
 * When the database or the broker is away it waits and retries, never skips;
 * a message the handler cannot apply while the database is healthy goes to the
 * DLQ so one poison message cannot stall a partition.
 */
export class EventConsumer<Tx extends SqlExecutor = SqlExecutor> {
  private consumer?: Consumer;
  private stopping = false;
  private loop?: Promise<void>;
  private _state: ConsumerState = 'stopped';
  private lastError?: string;
  private readonly group: string;

  constructor(private readonly options: EventConsumerOptions<Tx>) {
    this.group = options.namer.group(options.groupId);
    trackConsumerGroup(this.group, this.physicalTopics);
  }

  get state(): ConsumerState {
    return this._state;
  }

  get groupId(): string {
    return this.group;
  }

  get physicalTopics(): string[] {
    return this.options.topics.map((t) => this.options.namer.topic(t));
  }

  /** Starts in the background; never throws. A broker that is down is retried until it answers. */
  start(): void {
    this.stopping = false;
    this.loop ??= this.runUntilJoined().finally(() => {
      this.loop = undefined;
    });
  }

  /** Stops fetching, lets the batch in flight finish and commit, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.loop;
    this._state = 'stopped';
  }

  /** For `/health/ready`: throws unless the consumer is a member of its group. */
  readiness(): Record<string, unknown> {
    if (this._state === 'joined' || this._state === 'rebalancing') return { group: this.group, state: this._state };
    throw new Error(`consumer ${this.group} is ${this._state}${this.lastError ? `: ${this.lastError}` : ''}`);
  }

  private async runUntilJoined(): Promise<void> {
    let delay = 250;
    while (!this.stopping) {
      try {
        await this.connectAndRun();
        return;
      } catch (error) {
        this._state = 'crashed';
        this.lastError = (error as Error).message;
        this.options.logger.warn({ err: error, group: this.group }, 'consumer could not start; retrying');
        await this.consumer?.disconnect().catch(() => undefined);
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async connectAndRun(): Promise<void> {
    const { kafka, sessionTimeoutMs = 10_000 } = this.options;
    const consumer = kafka.consumer({
      groupId: this.group,
      sessionTimeout: sessionTimeoutMs,
      rebalanceTimeout: Math.max(sessionTimeoutMs, 10_000),
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeoutMs / 10)),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1_000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      retry: { retries: 3, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    this._state = 'connecting';
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this._state = 'joined';
      this.lastError = undefined;
    });
    consumer.on(consumer.events.REBALANCING, () => {
      this._state = 'rebalancing';
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const error = (event.payload as { error?: Error }).error;
      this._state = 'crashed';
      this.lastError = error?.message;
      if (this.stopping) return;
      this.options.logger.warn({ err: error, group: this.group }, 'consumer crashed; restarting');
      // restartOnFailure is off: we restart with a fresh client so no half-broken state survives.
      void consumer
        .disconnect()
        .catch(() => undefined)
        .finally(() => this.start());
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.physicalTopics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const size = this.options.maxBatchSize ?? 500;
        for (let i = 0; i < batch.messages.length; i += size) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(i, i + size);
          const done = await this.processChunk(batch, chunk, () => isRunning() && !isStale());
          if (!done) return;
          const last = chunk[chunk.length - 1]!.offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
          await heartbeat();
        }
      },
    });
  }

  /** Returns false when it gave up because the consumer is stopping (nothing committed for this chunk). */
  private async processChunk(batch: Batch, chunk: KafkaMessage[], alive: () => boolean): Promise<boolean> {
    const topic = this.options.namer.contractTopic(batch.topic);
    const endTimer = batchDuration.startTimer({ group: this.group, topic });
    const parsed = chunk.map((message) => this.parse(topic, batch, message));

    const invalid = parsed.filter((p) => p.error).map((p) => ({ topic, origin: batch, message: p.message, error: p.error! }));
    if (!(await this.toDlq(invalid, alive))) return false;
    const valid = parsed.filter((p) => p.consumed).map((p) => p.consumed!);
    const ok = await this.apply(topic, batch, valid, alive);
    endTimer();
    return ok;
  }

  private parse(topic: string, batch: Batch, message: KafkaMessage): Parsed {
    const result = validateEvent(topic, message.value, message.key?.toString('utf8') ?? null);
    if (!result.ok) return { message, error: { code: result.code, message: result.message } };
    return { message, consumed: { event: result.event, topic, partition: batch.partition, offset: message.offset } };
  }

  private async apply(topic: string, batch: Batch, events: ConsumedEvent[], alive: () => boolean): Promise<boolean> {
    if (events.length === 0) return true;
    let delay = 100;
    for (;;) {
      try {
        const { fresh, rejected } = await this.transaction(events);
        consumedMessages.inc({ group: this.group, topic, result: 'applied' }, fresh);
        consumedMessages.inc({ group: this.group, topic, result: 'duplicate' }, events.length - fresh);
        return this.rejectedToDlq(topic, batch, rejected, alive);
      } catch (error) {
        if (await this.databaseAnswers()) return this.applyOneByOne(topic, batch, events, alive);
        consumerFailures.inc({ group: this.group, topic, kind: 'transient' });
        this.lastError = (error as Error).message;
        this.options.logger.warn({ err: error, group: this.group }, 'database unavailable; will retry the batch');
        if (!alive()) return false;
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Isolates the events the handler refuses; the others still apply, in order. */
  private async applyOneByOne(topic: string, batch: Batch, events: ConsumedEvent[], alive: () => boolean): Promise<boolean> {
    for (const consumed of events) {
      for (let delay = 100; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
        try {
          const { fresh, rejected } = await this.transaction([consumed]);
          consumedMessages.inc({ group: this.group, topic, result: fresh ? 'applied' : 'duplicate' });
          if (!(await this.rejectedToDlq(topic, batch, rejected, alive))) return false;
          break;
        } catch (error) {
          if (!(await this.databaseAnswers())) {
            consumerFailures.inc({ group: this.group, topic, kind: 'transient' });
            if (!alive()) return false;
            await sleep(delay);
            continue;
          }
          consumerFailures.inc({ group: this.group, topic, kind: 'handler' });
          const code = error instanceof RejectEventError ? error.code : EventErrorCode.HandlerFailed;
          this.options.logger.warn({ err: error, eventId: consumed.event.eventId, code }, 'event refused by handler');
          const original = batch.messages.find((m) => m.offset === consumed.offset)!;
          if (!(await this.toDlq([{ topic, origin: batch, message: original, error: { code, message: (error as Error).message } }], alive)))
            return false;
          break;
        }
      }
    }
    return true;
  }

  private async transaction(events: ConsumedEvent[]): Promise<{ fresh: number; rejected: RejectedRow[] }> {
    return this.options.db.$transaction(
      async (tx) => {
        const fresh = await claimNewEvents(tx, this.group, events);
        const outcome = fresh.length > 0 ? await this.options.handle(fresh, tx) : undefined;
        const refusals = outcome?.rejected ?? [];
        if (refusals.length === 0) return { fresh: fresh.length, rejected: [] };
        const removed = await tx.$queryRawUnsafe<Omit<RejectedRow, 'code' | 'message'>[]>(
          `DELETE FROM ${INBOX_TABLE} WHERE event_id = ANY($1::uuid[])
           RETURNING event_id::text AS event_id, topic, "partition", "offset"::text AS "offset", envelope`,
          refusals.map((r) => r.eventId),
        );
        const why = new Map(refusals.map((r) => [r.eventId, r]));
        return {
          fresh: fresh.length,
          rejected: removed.map((row) => ({ ...row, code: why.get(row.event_id)!.code, message: why.get(row.event_id)!.message })),
        };
      },
      { timeout: this.options.transactionTimeoutMs ?? 60_000, maxWait: 10_000 },
    );
  }

  /** After commit: events the handler rejected go to the DLQ, as received when they are in this chunk, else as stored. */
  private async rejectedToDlq(topic: string, batch: Batch, rejected: RejectedRow[], alive: () => boolean): Promise<boolean> {
    const entries = rejected.map((row): DlqEntry => {
      consumerFailures.inc({ group: this.group, topic, kind: 'rejected' });
      const inChunk =
        row.partition === batch.partition && row.topic === topic ? batch.messages.find((m) => m.offset === row.offset) : undefined;
      const message: KafkaMessage =
        inChunk ??
        ({
          key: Buffer.from((row.envelope as { subject: string }).subject),
          value: Buffer.from(JSON.stringify(row.envelope)),
          offset: row.offset,
          headers: {},
        } as unknown as KafkaMessage);
      const origin = inChunk ? batch : { topic: this.options.namer.topic(row.topic), partition: row.partition };
      return { topic: row.topic, origin, message, error: { code: row.code, message: row.message } };
    });
    return this.toDlq(entries, alive);
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.options.db.$queryRawUnsafe('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the entries to their DLQs, one send per DLQ topic, retrying until it succeeds or the consumer stops. */
  private async toDlq(entries: DlqEntry[], alive: () => boolean): Promise<boolean> {
    for (const [topic, group] of groupBy(entries, (e) => e.topic)) {
      const messages = group.map(({ origin, message, error }) => ({
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DlqHeaders.errorCode]: error.code,
          [DlqHeaders.errorMessage]: error.message.slice(0, 1000),
          [DlqHeaders.originalTopic]: origin.topic,
          [DlqHeaders.originalPartition]: String(origin.partition),
          [DlqHeaders.originalOffset]: message.offset,
          [DlqHeaders.consumerGroup]: this.group,
        } as IHeaders,
      }));
      for (let delay = 100; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
        try {
          await this.options.publisher.sendRaw(dlqTopic(topic), messages);
          break;
        } catch (sendError) {
          consumerFailures.inc({ group: this.group, topic, kind: 'transient' });
          this.options.logger.warn({ err: sendError }, 'could not write to DLQ; retrying');
          if (!alive()) return false;
          await sleep(delay);
        }
      }
      for (const { message, error } of group) {
        dlqMessages.inc({ group: this.group, topic, code: error.code });
        consumedMessages.inc({ group: this.group, topic, result: 'dlq' });
        this.options.logger.warn({ topic, offset: message.offset, code: error.code, reason: error.message }, 'message sent to DLQ');
      }
    }
    return true;
  }
}
