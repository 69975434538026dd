import { EventPublisher, PgTransactionalDb, TopicNamer, type KafkaClient } from '@darman/messaging';
import { loadConfig } from '@darman/platform';
import { ConsumerApp, testBrokers } from '@darman/testing';
import pino from 'pino';
import { AppModule } from '../../src/app.module.js';
import { ClaimsReadModel } from '../../src/claims/claims-read-model.js';
import { ClaimsConfig } from '../../src/config/claims.config.js';

/** The claims service's own consumers (its app module and Kafka handlers) on a test database and topic prefix. */
export function claimsConsumer(options: {
  kafka: KafkaClient;
  namer: TopicNamer;
  publisher: EventPublisher;
  db: PgTransactionalDb;
  dbUrl: string;
  maxBatchSize?: number;
}): ConsumerApp {
  const { kafka, namer, publisher, db, dbUrl, maxBatchSize } = options;
  const config = loadConfig(ClaimsConfig, {
    PORT: '1',
    DATABASE_URL: dbUrl,
    KAFKA_BROKERS: testBrokers(),
    TOPIC_PREFIX: namer.prefix,
    LOG_LEVEL: 'silent',
  });
  return ConsumerApp.forService(AppModule.register(config), {
    kafka,
    namer,
    publisher,
    db,
    groupId: 'darman-claims',
    logger: pino({ level: 'silent' }),
    sessionTimeoutMs: 6000,
    maxBatchSize,
    projections: [ClaimsReadModel],
  });
}
