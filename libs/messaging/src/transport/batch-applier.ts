import { EventErrorCode, validateEvent } from '@darman/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { claimNewEvents, INBOX_TABLE, type ConsumedEvent } from '../inbox.js';
import { batchDuration, consumedMessages, consumerFailures } from '../metrics.js';
import type { SqlExecutor, TransactionalDb } from '../sql.js';
import { sleep, type TopicNamer } from '../topic-namer.js';
import { RejectEventError, type HandlerRejection } from './batch-context.js';
import { MAX_BACKOFF_MS, type DlqEntry, type DlqWriter } from './dlq-writer.js';

/** Runs the handlers of a batch of new (deduplicated) events inside its transaction; returns the events they refused. */
export type BatchDispatch = (events: ConsumedEvent[], tx: SqlExecutor) => Promise<HandlerRejection[]>;

export interface BatchApplierOptions {
  group: string;
  namer: TopicNamer;
  db: TransactionalDb;
  dispatch: BatchDispatch;
  dlq: DlqWriter;
  logger: Logger;
  transactionTimeoutMs?: number;
}

interface RejectedRow {
  event_id: string;
  topic: string;
  partition: number;
  offset: string;
  envelope: { subject: string };
  code: string;
  message: string;
}

/** Where a chunk of messages was read from. */
export interface ChunkOrigin {
  topic: string;
  partition: number;
}

/**
 * Applies one chunk of a partition: validates each message against
 * libs/contracts (invalid → DLQ), records the valid ones in the inbox
 * (dropping eventIds seen before) and runs the handlers in the same database
 * transaction. While the database is away it retries the chunk; when the
 * database answers but the chunk fails, it applies the events one by one so
 * the one a handler refuses goes to the DLQ alone. Events a handler rejects
 * against state leave the inbox in the same transaction and go to the DLQ
 * after the commit.
 */
export class BatchApplier {
  constructor(private readonly options: BatchApplierOptions) {}

  /** Returns false when it gave up because the consumer is stopping: nothing of the chunk may be committed then. */
  async apply(origin: ChunkOrigin, messages: KafkaMessage[], alive: () => boolean): Promise<boolean> {
    const topic = this.options.namer.contractTopic(origin.topic);
    const endTimer = batchDuration.startTimer({ group: this.options.group, topic });
    const invalid: DlqEntry[] = [];
    const valid: ConsumedEvent[] = [];
    for (const message of messages) {
      const result = validateEvent(topic, message.value, message.key?.toString('utf8') ?? null);
      if (result.ok) valid.push({ event: result.event, topic, partition: origin.partition, offset: message.offset });
      else invalid.push({ topic, origin, message, error: { code: result.code, message: result.message } });
    }
    if (!(await this.options.dlq.write(invalid, alive))) return false;
    const ok = valid.length === 0 || (await this.applyValid(origin, topic, messages, valid, alive));
    endTimer();
    return ok;
  }

  private async applyValid(origin: ChunkOrigin, topic: string, chunk: KafkaMessage[], events: ConsumedEvent[], alive: () => boolean) {
    const { group, logger } = this.options;
    for (let delay = 100; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
      try {
        const { fresh, rejected } = await this.transaction(events);
        consumedMessages.inc({ group, topic, result: 'applied' }, fresh);
        consumedMessages.inc({ group, topic, result: 'duplicate' }, events.length - fresh);
        return this.rejectedToDlq(origin, topic, chunk, rejected, alive);
      } catch (error) {
        if (await this.databaseAnswers()) return this.applyOneByOne(origin, topic, chunk, events, alive);
        consumerFailures.inc({ group, topic, kind: 'transient' });
        logger.warn({ err: error, group }, 'database unavailable; will retry the batch');
        if (!alive()) return false;
        await sleep(delay);
      }
    }
  }

  /** Isolates the events the handlers refuse; the others still apply, in order. */
  private async applyOneByOne(origin: ChunkOrigin, topic: string, chunk: KafkaMessage[], events: ConsumedEvent[], alive: () => boolean) {
    const { group, logger, dlq } = this.options;
    for (const consumed of events) {
      for (let delay = 100; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
        try {
          const { fresh, rejected } = await this.transaction([consumed]);
          consumedMessages.inc({ group, topic, result: fresh ? 'applied' : 'duplicate' });
          if (!(await this.rejectedToDlq(origin, topic, chunk, rejected, alive))) return false;
          break;
        } catch (error) {
          if (!(await this.databaseAnswers())) {
            consumerFailures.inc({ group, topic, kind: 'transient' });
            if (!alive()) return false;
            await sleep(delay);
            continue;
          }
          consumerFailures.inc({ group, topic, kind: 'handler' });
          const code = error instanceof RejectEventError ? error.code : EventErrorCode.HandlerFailed;
          logger.warn({ err: error, eventId: consumed.event.eventId, code }, 'event refused by handler');
          const message = chunk.find((m) => m.offset === consumed.offset)!;
          if (!(await dlq.write([{ topic, origin, message, error: { code, message: (error as Error).message } }], alive))) return false;
          break;
        }
      }
    }
    return true;
  }

  private transaction(events: ConsumedEvent[]): Promise<{ fresh: number; rejected: RejectedRow[] }> {
    const { db, group, dispatch, transactionTimeoutMs = 60_000 } = this.options;
    return db.$transaction(
      async (tx) => {
        const fresh = await claimNewEvents(tx, group, events);
        const refusals = fresh.length > 0 ? await dispatch(fresh, tx) : [];
        if (refusals.length === 0) return { fresh: fresh.length, rejected: [] };
        const removed = await tx.$queryRawUnsafe<Omit<RejectedRow, 'code' | 'message'>[]>(
          `DELETE FROM ${INBOX_TABLE} WHERE event_id = ANY($1::uuid[])
           RETURNING event_id::text AS event_id, topic, "partition", "offset"::text AS "offset", envelope`,
          refusals.map((r) => r.eventId),
        );
        const why = new Map(refusals.map((r) => [r.eventId, r]));
        return { fresh: fresh.length, rejected: removed.map((row) => ({ ...row, ...why.get(row.event_id)! })) };
      },
      { timeout: transactionTimeoutMs, maxWait: 10_000 },
    );
  }

  /** After commit: rejected events go to the DLQ, as received when they are in this chunk, else as stored. */
  private rejectedToDlq(origin: ChunkOrigin, topic: string, chunk: KafkaMessage[], rejected: RejectedRow[], alive: () => boolean) {
    const entries = rejected.map((row): DlqEntry => {
      consumerFailures.inc({ group: this.options.group, topic, kind: 'rejected' });
      const inChunk = row.partition === origin.partition && row.topic === topic ? chunk.find((m) => m.offset === row.offset) : undefined;
      const error = { code: row.code, message: row.message };
      if (inChunk) return { topic, origin, message: inChunk, error };
      const message = {
        key: Buffer.from(row.envelope.subject),
        value: Buffer.from(JSON.stringify(row.envelope)),
        offset: row.offset,
        headers: {},
      };
      return { topic: row.topic, origin: { topic: this.options.namer.topic(row.topic), partition: row.partition }, message, error };
    });
    return this.options.dlq.write(entries, alive);
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await this.options.db.$queryRawUnsafe('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }
}
