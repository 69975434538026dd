import type { Admin, Kafka } from 'kafkajs';
import type { LagRow } from '../metrics.js';

/**
 * Broker reachability for `/health/ready` (a metadata request on an admin
 * client that reconnects after a failure) and the consumer lag `/metrics`
 * reports, read with the same admin client.
 */
export class KafkaHealth {
  private admin?: Admin;

  constructor(private readonly kafka: Kafka) {}

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async check(): Promise<Record<string, unknown>> {
    try {
      const admin = await this.connected();
      const cluster = await admin.describeCluster();
      return { brokers: cluster.brokers.length, controller: cluster.controller };
    } catch (error) {
      await this.close();
      throw new Error(`Kafka unreachable: ${(error as Error).message}`);
    }
  }

  /** Lag per partition = end offset − committed offset (from the start when nothing is committed yet); undefined while the broker is away. */
  async lag(group: string, topics: string[]): Promise<LagRow[] | undefined> {
    let admin: Admin;
    try {
      admin = await this.connected();
    } catch {
      await this.close();
      return undefined;
    }
    const committed = await admin.fetchOffsets({ groupId: group, topics });
    const rows: LagRow[] = [];
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = done.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const from = at === '-1' ? Number(end.low) : Number(at);
        rows.push({ topic, partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
      }
    }
    return rows;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
