import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { patchKafkajsIdleLoop } from './kafkajs-idle-fix.js';

// The Kafka client library stays behind this folder (ARCHITECTURE.md: kafkajs is in maintenance mode and may be replaced).
// Code outside it names the client's types through these aliases only.
export type {
  Admin as KafkaAdmin,
  Consumer as KafkaConsumer,
  IHeaders as KafkaHeaders,
  Kafka as KafkaClient,
  KafkaMessage,
  Message as OutgoingMessage,
  Producer as KafkaProducer,
} from 'kafkajs';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * One Kafka client per process. Short connection timeouts and bounded
 * retries: a broker that is down must make a service not-ready quickly, and
 * our own loops (consumer restart, relay) do the long-term retrying.
 */
export function createKafka(options: KafkaOptions, overrides: Partial<KafkaConfig> = {}): Kafka {
  patchKafkajsIdleLoop();
  const logger = options.logger;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 5 },
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      // kafkajs logs every retry of a dead broker at ERROR; those are reported through readiness.
      const level = LEVELS[entry.level] ?? 'info';
      logger[level === 'error' ? 'warn' : level]({ kafka: entry.namespace, ...rest }, message);
    },
    ...overrides,
  });
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}
