import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Logger } from 'pino';

const STOP_TIMEOUT_MS = 2_000;

export interface BroadcastOptions {
  /** Physical topic name (prefixed). */
  topic: string;
  /** Prefix of this process's own group id; a random suffix makes it unique per process. */
  groupPrefix: string;
  logger: Logger;
  /** Called for every message, in order per partition; must not throw (a throw is logged and the message skipped). */
  onMessage: (value: Buffer | null) => void;
}

/**
 * Every message of a topic, to every process: each process reads the whole
 * topic from its start in a consumer group of its own (a random group id, no
 * committed offsets, so the group vanishes when the process stops) and keeps
 * following it. For state that every replica must hold in memory, such as
 * revoked sessions, where a shared group would give each message to one
 * replica only. `caughtUp` turns true once every partition has been read to the
 * end offset it had when the subscriber started.
 */
export class BroadcastSubscriber {
  private consumer?: Consumer;
  private pending = new Map<number, bigint>();
  private _caughtUp = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BroadcastOptions,
  ) {}

  get caughtUp(): boolean {
    return this._caughtUp;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      for (const p of offsets) if (BigInt(p.high) > BigInt(p.low)) this.pending.set(p.partition, BigInt(p.high));
    } finally {
      await admin.disconnect();
    }
    this._caughtUp = this.pending.size === 0;
    const consumer = this.kafka.consumer({
      groupId: `${this.options.groupPrefix}-${randomUUID()}`,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        try {
          this.options.onMessage(message.value);
        } catch (error) {
          this.options.logger.warn(
            { err: error, topic: this.options.topic, partition, offset: message.offset },
            'broadcast message skipped',
          );
        }
        const end = this.pending.get(partition);
        if (end !== undefined && BigInt(message.offset) + 1n >= end) {
          this.pending.delete(partition);
          if (this.pending.size === 0) this._caughtUp = true;
        }
      },
    });
  }

  /**
   * Leaves the group. Bounded: a consumer caught restarting (after a broker
   * restart) can take long to disconnect, and a group of one process with
   * nothing committed has nothing to hand over, so shutdown does not wait.
   */
  async stop(): Promise<void> {
    if (!this.consumer) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)));
    await Promise.race([this.consumer.disconnect().catch(() => undefined), bound]);
    clearTimeout(timer);
  }
}
