import { ALL_TOPICS, dlqTopic, TOPIC_PARTITIONS, TOPIC_RETENTION_MS, type TopicName } from '@darman/contracts';
import type { Admin } from 'kafkajs';
import type { TopicNamer } from '../topic-namer.js';

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
    {
      topic: namer.topic(topic),
      numPartitions: TOPIC_PARTITIONS[topic],
      configEntries: TOPIC_RETENTION_MS[topic] ? [{ name: 'retention.ms', value: String(TOPIC_RETENTION_MS[topic]) }] : [],
    },
    {
      topic: namer.topic(dlqTopic(topic)),
      numPartitions: 1,
      configEntries: [{ name: 'retention.ms', value: DLQ_RETENTION_MS }],
    },
  ]);
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((t) => ({ ...t, replicationFactor: 1 })), waitForLeaders: false });
    await waitForLeaders(
      admin,
      missing.map((t) => t.topic),
    );
  }
  return { created: missing.map((t) => t.topic), existing: wanted.filter((t) => existing.has(t.topic)).map((t) => t.topic) };
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own wait
 * gives up when a just-created topic is briefly unknown to the broker
 * ("This server does not host this topic-partition"), which a fresh KRaft
 * broker answers while several clients create topics at once.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics have no leader after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
