import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const TEST_KAFKA_PORT = '39092';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export default async function globalTeardown(): Promise<void> {
  const container = (globalThis as { __kafkaContainer?: { stop(): Promise<unknown> } }).__kafkaContainer;
  if (container) await container.stop();
  if (process.env.DARMAN_TEST_KAFKA_STARTED === '1') {
    spawnSync('bash', ['infra/kafka/kafka.sh', 'stop'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, KAFKA_PORT: TEST_KAFKA_PORT },
    });
  }
}
