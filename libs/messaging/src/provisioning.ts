import { ALL_TOPICS, dlqTopic, TOPIC_PARTITIONS, type TopicName } from '@darman/contracts';
import type { Admin } from 'kafkajs';
import type { TopicNamer } from './kafka.js';

const DLQ_RETENTION_MS = String(30 * 24 * 3600 * 1000);

export interface ProvisionResult {
  created: string[];
  existing: string[];
}

/**
 * Creates every contract topic and its DLQ (brokers run with topic
 * auto-creation off, so this is an explicit step). Idempotent.
 */
export async function provisionTopics(
  admin: Admin,
  namer: TopicNamer,
  topics: readonly TopicName[] = ALL_TOPICS,
): Promise<ProvisionResult> {
  const existing = new Set(await admin.listTopics());
  const wanted = topics.flatMap((topic) => [
    { topic: namer.topic(topic), numPartitions: TOPIC_PARTITIONS[topic], configEntries: [] as { name: string; value: string }[] },
    {
      topic: namer.topic(dlqTopic(topic)),
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: DLQ_RETENTION_MS }],
    },
  ]);
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((t) => ({ ...t, replicationFactor: 1 })), waitForLeaders: true });
  }
  return { created: missing.map((t) => t.topic), existing: wanted.filter((t) => existing.has(t.topic)).map((t) => t.topic) };
}
