import type { NewEvent, TopicName } from '@darman/contracts';
import type { Logger } from 'pino';
import { outboxPending, outboxPublished } from './metrics.js';
import { buildEvent, toMessage, type EventPublisher } from './transport/publisher.js';
import type { SqlExecutor, TransactionalDb } from './sql.js';

export const OUTBOX_TABLE = 'outbox_messages';

/**
 * Adds an event to the outbox inside the caller's transaction, so the state
 * change and the event commit together. The event is validated now: an
 * invalid event fails the caller's transaction instead of reaching Kafka.
 */
export async function addToOutbox(tx: SqlExecutor, topic: TopicName, event: NewEvent, source: string): Promise<string> {
  const valid = buildEvent(topic, event, source);
  await tx.$executeRawUnsafe(
    `INSERT INTO ${OUTBOX_TABLE} (id, topic, message_key, payload) VALUES ($1::uuid, $2, $3, $4::jsonb)`,
    valid.eventId,
    topic,
    valid.subject,
    JSON.stringify(valid),
  );
  return valid.eventId;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: unknown;
}

export interface OutboxRelayOptions {
  db: TransactionalDb;
  publisher: EventPublisher;
  logger: Logger;
  /** How often an idle relay looks for new rows. */
  pollIntervalMs?: number;
  batchSize?: number;
}

/** Same number for every relay of a database: only one replica relays at a time, which keeps per-key order. */
const RELAY_LOCK_KEY = 0x0da400b0;

/**
 * Publishes outbox rows in insertion order and marks them published. A crash
 * after the send but before the mark re-sends the same eventId, which
 * consumers drop as a duplicate; a crash before the send leaves the row for
 * the next relay. Nothing is lost either way.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private _healthy = true;

  constructor(private readonly options: OutboxRelayOptions) {}

  get healthy(): boolean {
    return this._healthy;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ask for an immediate pass (after a local write). */
  kick(): void {
    this.wake?.();
  }

  /** Finishes the pass in flight, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** One pass: publishes up to batchSize rows; returns how many. */
  async relayOnce(): Promise<number> {
    const { db, publisher, batchSize = 200 } = this.options;
    return db.$transaction(
      async (tx) => {
        const [{ locked }] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
          'SELECT pg_try_advisory_xact_lock($1) AS locked',
          RELAY_LOCK_KEY,
        );
        if (!locked) return 0;
        const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id::text AS id, topic, message_key, payload FROM ${OUTBOX_TABLE}
            WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
          batchSize,
        );
        if (rows.length === 0) return 0;
        const byTopic = new Map<string, OutboxRow[]>();
        for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
        for (const [topic, topicRows] of byTopic) {
          await publisher.sendRaw(
            topic,
            topicRows.map((r) => toMessage(r.payload as never)),
          );
          outboxPublished.inc({ topic }, topicRows.length);
        }
        await tx.$executeRawUnsafe(
          `UPDATE ${OUTBOX_TABLE} SET published_at = now() WHERE id = ANY($1::uuid[])`,
          rows.map((r) => r.id),
        );
        return rows.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  async pending(): Promise<number> {
    const [{ n }] = await this.options.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${OUTBOX_TABLE} WHERE published_at IS NULL`,
    );
    outboxPending.set(n);
    return n;
  }

  private async run(): Promise<void> {
    const { pollIntervalMs = 250, batchSize = 200, logger } = this.options;
    let delay = pollIntervalMs;
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.relayOnce();
        this._healthy = true;
        delay = pollIntervalMs;
      } catch (error) {
        this._healthy = false;
        logger.warn({ err: error }, 'outbox relay pass failed; retrying');
        delay = Math.min(delay * 2, 5_000);
      }
      if (sent >= batchSize) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
