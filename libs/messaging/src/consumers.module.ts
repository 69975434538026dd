import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { APP_CONFIG, ReadinessRegistry, ROOT_LOGGER, type KafkaConfig } from '@darman/platform';
import type { Logger } from 'pino';
import { KAFKA } from './messaging.module.js';
import { PgTransactionalDb } from './pg-db.js';
import type { RebuildableProjection } from './projection.js';
import { TopicNamer } from './topic-namer.js';
import { KafkaBatchServer } from './transport/kafka-batch.server.js';
import type { KafkaClient } from './transport/kafka.js';
import { EventPublisher } from './transport/publisher.js';

export interface EventConsumersOptions {
  /** The service's consumer group (prefixed by TOPIC_PREFIX). */
  groupId: string;
  /** Messages applied per database transaction (default 500). */
  maxBatchSize?: number;
  /** Providers whose read models rebuild from the inbox when their version changes (exported by `imports`). */
  projections?: Type<RebuildableProjection>[];
  /** The feature modules that export the projections. */
  imports?: NonNullable<DynamicModule['imports']>;
}

/** The consumer's own node-postgres connections (pg-db.ts), closed after the transport has stopped. */
const CONSUMER_DB = Symbol('CONSUMER_DB');

class ConsumerDbLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CONSUMER_DB) private readonly db: PgTransactionalDb) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.$disconnect().catch(() => undefined);
  }
}

/**
 * Makes the service's KafkaBatchServer: the bootstrap connects it with
 * `app.connectMicroservice({ strategy }, { inheritAppConfig: true })`, and
 * Nest hands it every `@EventPattern` method of the app's controllers
 * (`*.consumer.ts`). Import it once, in the app module.
 */
@Module({})
export class EventConsumersModule {
  static forRoot(options: EventConsumersOptions): DynamicModule {
    const projections = options.projections ?? [];
    return {
      module: EventConsumersModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: CONSUMER_DB,
          inject: [APP_CONFIG, ROOT_LOGGER],
          useFactory: (config: { DATABASE_URL: string }, logger: Logger) => new PgTransactionalDb(config.DATABASE_URL, logger),
        },
        ConsumerDbLifecycle,
        {
          provide: KafkaBatchServer,
          inject: [KAFKA, TopicNamer, EventPublisher, CONSUMER_DB, APP_CONFIG, ROOT_LOGGER, ReadinessRegistry, ...projections],
          useFactory: (
            kafka: KafkaClient,
            namer: TopicNamer,
            publisher: EventPublisher,
            db: PgTransactionalDb,
            config: KafkaConfig,
            logger: Logger,
            readiness: ReadinessRegistry,
            ...instances: RebuildableProjection[]
          ) =>
            new KafkaBatchServer({
              kafka,
              namer,
              publisher,
              db,
              groupId: options.groupId,
              logger: logger.child({ consumerGroup: options.groupId }),
              readiness,
              sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
              maxBatchSize: options.maxBatchSize,
              projections: instances,
            }),
        },
      ],
      exports: [KafkaBatchServer],
    };
  }
}
