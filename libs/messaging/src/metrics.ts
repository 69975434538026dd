import { Counter, Gauge, Histogram, register } from 'prom-client';

export const consumedMessages = new Counter({
  name: 'darman_consumer_messages_total',
  help: 'Messages consumed, by outcome: applied, duplicate (eventId seen before) or dlq',
  labelNames: ['group', 'topic', 'result'] as const,
  registers: [register],
});

export const consumerFailures = new Counter({
  name: 'darman_consumer_failures_total',
  help: 'Failed processing attempts: transient (database or broker away, retried) or handler (event sent to DLQ)',
  labelNames: ['group', 'topic', 'kind'] as const,
  registers: [register],
});

export const dlqMessages = new Counter({
  name: 'darman_consumer_dlq_total',
  help: 'Messages routed to a dead-letter topic, by error code',
  labelNames: ['group', 'topic', 'code'] as const,
  registers: [register],
});

export interface LagRow {
  topic: string;
  partition: number;
  lag: number;
}

/** Reads the lag of a group's topics; undefined while the broker is away. */
export type LagReader = (group: string, topics: string[]) => Promise<LagRow[] | undefined>;
let lagReader: LagReader | undefined;
const trackedGroups = new Map<string, string[]>();

/** How lag is read (one reader per process, the transport's admin client). */
export function registerLagReader(reader: LagReader): void {
  lagReader = reader;
}

/** Consumer groups whose lag `/metrics` reports. */
export function trackConsumerGroup(group: string, topics: string[]): void {
  trackedGroups.set(group, topics);
}

const LAG_TIMEOUT_MS = 1_500;

export const consumerLag = new Gauge({
  name: 'darman_consumer_lag',
  help: 'Messages between the committed offset of the group and the end of the partition',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [register],
  async collect() {
    const read = lagReader;
    if (!read) return;
    const work = (async () => {
      for (const [group, topics] of trackedGroups) {
        for (const row of (await read(group, topics)) ?? []) {
          this.set({ group, topic: row.topic, partition: String(row.partition) }, row.lag);
        }
      }
    })();
    // A slow broker must not hang the scrape; stale values stay until the next one.
    await Promise.race([work.catch(() => undefined), new Promise((r) => setTimeout(r, LAG_TIMEOUT_MS).unref())]);
  },
});

export const batchDuration = new Histogram({
  name: 'darman_consumer_batch_duration_seconds',
  help: 'Time to validate, store and commit one batch',
  labelNames: ['group', 'topic'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [register],
});

export const outboxPublished = new Counter({
  name: 'darman_outbox_published_total',
  help: 'Outbox messages published to Kafka',
  labelNames: ['topic'] as const,
  registers: [register],
});

export const outboxPending = new Gauge({
  name: 'darman_outbox_pending',
  help: 'Outbox messages not yet published',
  registers: [register],
});
