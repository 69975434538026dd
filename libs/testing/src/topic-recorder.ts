import type { KafkaClient as Kafka, KafkaConsumer as Consumer } from '@darman/messaging';
import type { ReadMessage } from './kafka-probe.js';

/**
 * Records every message of some topics from the beginning, for tests that
 * wait for what a service publishes (codes sent by SMS, portal events).
 */
export class TopicRecorder {
  readonly messages: (ReadMessage & { topic: string; partition: number })[] = [];
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: `recorder-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((resolve) => (joined = resolve));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => joined());
    void this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({
          topic,
          partition,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          offset: message.offset,
        });
      },
    });
    await ready;
  }

  /** Parsed JSON values of one topic's messages. */
  values<T = Record<string, unknown>>(topic: string): T[] {
    return this.messages.filter((m) => m.topic === topic && m.value).map((m) => JSON.parse(m.value!) as T);
  }

  /** Waits for the first value of `topic` after `skip` values that matches. */
  async waitFor<T = Record<string, unknown>>(topic: string, match: (value: T) => boolean, timeoutMs = 15_000, skip = 0): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.values<T>(topic).slice(skip).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message on ${topic} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Waits until every message published to `topic` before this call has been
   * recorded (each partition's end offset reached): after it, a message that
   * is not in `values(topic)` was not published. The positive signal that
   * absence checks wait for instead of a sleep.
   */
  async caughtUp(topic: string, timeoutMs = 15_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: { partition: number; high: string; low: string }[];
    try {
      ends = await admin.fetchTopicOffsets(topic);
    } finally {
      await admin.disconnect();
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = ends.filter(({ partition, high, low }) => {
        if (Number(high) === Number(low)) return false;
        const last = Number(high) - 1;
        return !this.messages.some((m) => m.topic === topic && m.partition === partition && Number(m.offset) >= last);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`recorder behind on ${topic} partitions ${behind.map((b) => b.partition).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
