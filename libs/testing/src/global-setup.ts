// Infrastructure for the integration and e2e tiers. KAFKA_BROKERS / DATABASE_URL
// win when given; otherwise a Docker engine runs Kafka through testcontainers;
// otherwise the local broker script starts one on a test port beside any
// running stack. `npm test` starts the broker itself and sets KAFKA_BROKERS.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEST_KAFKA_PORT = '39092';

function dockerAnswers(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.KAFKA_BROKERS) return;
  if (dockerAnswers()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    process.env.KAFKA_BROKERS = `${container.getHost()}:${container.getMappedPort(9093)}`;
    (globalThis as { __kafkaContainer?: unknown }).__kafkaContainer = container;
    return;
  }
  const result = spawnSync('bash', ['infra/kafka/kafka.sh', 'start'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KAFKA_PORT: TEST_KAFKA_PORT },
  });
  if (result.status !== 0) throw new Error('could not start the local test broker');
  process.env.KAFKA_BROKERS = `127.0.0.1:${TEST_KAFKA_PORT}`;
  process.env.DARMAN_TEST_KAFKA_STARTED = '1';
}
