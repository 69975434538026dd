import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { sleep } from '../topic-namer.js';
import type { ChunkOrigin } from './batch-applier.js';
import { MAX_BACKOFF_MS } from './dlq-writer.js';

export type ConsumerState = 'stopped' | 'connecting' | 'joined' | 'rebalancing' | 'crashed';

/** Applies one chunk; false when it gave up because the consumer is stopping (then nothing of it is committed). */
export type ChunkProcessor = (origin: ChunkOrigin, messages: KafkaMessage[], alive: () => boolean) => Promise<boolean>;

export interface FetchLoopOptions {
  kafka: Kafka;
  /** The physical (prefixed) group and topics. */
  group: string;
  topics: string[];
  process: ChunkProcessor;
  logger: Logger;
  sessionTimeoutMs?: number;
  /** Messages handed to `process` at a time (one database transaction each). */
  maxBatchSize?: number;
  partitionsConsumedConcurrently?: number;
  /** A chunk applying longer than this (a DLQ or database write retried without end) makes readiness fail. */
  stallMs?: number;
  /** The clock of the stall check. */
  now?: () => number;
}

/** Default of FetchLoopOptions.stallMs: far above any healthy chunk (milliseconds to a few seconds). */
export const STALL_MS = 60_000;

/**
 * The consumer group membership and the fetch/commit loop: fetches batches
 * per partition, hands them to `process` a chunk at a time, and commits a
 * chunk's offsets only after `process` has applied it. A broker that is down,
 * or a crash of the client, is retried with a fresh client until it answers.
 */
export class FetchLoop {
  private consumer?: Consumer;
  private stopping = false;
  private loop?: Promise<void>;
  private _state: ConsumerState = 'stopped';
  private lastError?: string;
  /** Partitions whose chunk is being applied, since when. */
  private readonly busy = new Map<string, number>();

  constructor(private readonly options: FetchLoopOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  get state(): ConsumerState {
    return this._state;
  }

  /** Starts in the background; never throws. */
  start(): void {
    this.stopping = false;
    this.loop ??= this.runUntilJoined().finally(() => {
      this.loop = undefined;
    });
  }

  /** Stops fetching, lets the chunk in flight finish and commit, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.loop;
    this._state = 'stopped';
  }

  /**
   * For `/health/ready`: throws unless the consumer is a member of its group
   * and no partition's chunk has been applying for longer than `stallMs` (a
   * member stuck retrying is no longer heart-beating: the group may have
   * dropped it while its own state still says joined).
   */
  readiness(): Record<string, unknown> {
    const stallMs = this.options.stallMs ?? STALL_MS;
    for (const [partition, since] of this.busy) {
      const seconds = Math.round((this.now() - since) / 1000);
      if (this.now() - since > stallMs)
        throw new Error(`consumer ${this.options.group} is stalled: ${partition} has been applying one chunk for ${seconds} s`);
    }
    if (this._state === 'joined' || this._state === 'rebalancing') return { group: this.options.group, state: this._state };
    throw new Error(`consumer ${this.options.group} is ${this._state}${this.lastError ? `: ${this.lastError}` : ''}`);
  }

  private async runUntilJoined(): Promise<void> {
    for (let delay = 250; !this.stopping; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
      try {
        await this.connectAndRun();
        return;
      } catch (error) {
        this._state = 'crashed';
        this.lastError = (error as Error).message;
        this.options.logger.warn({ err: error, group: this.options.group }, 'consumer could not start; retrying');
        await this.consumer?.disconnect().catch(() => undefined);
        await sleep(delay);
      }
    }
  }

  private async connectAndRun(): Promise<void> {
    const { kafka, group, sessionTimeoutMs = 10_000, maxBatchSize = 500 } = this.options;
    const consumer = kafka.consumer({
      groupId: group,
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
      this.options.logger.warn({ err: error, group }, 'consumer crashed; restarting');
      // restartOnFailure is off: we restart with a fresh client so no half-broken state survives.
      void consumer
        .disconnect()
        .catch(() => undefined)
        .finally(() => this.start());
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const alive = () => isRunning() && !isStale();
        for (let i = 0; i < batch.messages.length; i += maxBatchSize) {
          if (!alive()) return;
          const chunk = batch.messages.slice(i, i + maxBatchSize);
          const key = `${batch.topic}[${batch.partition}]`;
          this.busy.set(key, this.now());
          let applied: boolean;
          try {
            applied = await this.options.process({ topic: batch.topic, partition: batch.partition }, chunk, alive);
          } finally {
            this.busy.delete(key);
          }
          if (!applied) return;
          const last = chunk[chunk.length - 1]!.offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
          await heartbeat();
        }
      },
    });
  }
}
