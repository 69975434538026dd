import { Module, type DynamicModule, type OnApplicationBootstrap, type BeforeApplicationShutdown, type Type } from '@nestjs/common';
import type { TopicName } from '@darman/contracts';
import { APP_CONFIG, ReadinessRegistry, ROOT_LOGGER, type KafkaConfig } from '@darman/platform';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { EventConsumer } from './consumer.js';
import type { ConsumedEvent } from './inbox.js';
import { KAFKA } from './messaging.module.js';
import { TopicNamer } from './kafka.js';
import { ensureProjectionVersion, isRebuildable, projectionLockKey } from './projection.js';
import { PgTransactionalDb } from './pg-db.js';
import { EventPublisher } from './publisher.js';
import type { SqlExecutor, TransactionalDb } from './sql.js';

/** An event the handler found invalid against state (this batch's or an earlier one's): it leaves the event store for the DLQ. */
export interface HandlerRejection {
  eventId: string;
  code: string;
  message: string;
}

/** A service's projection logic: applies new events inside the consumer's transaction. */
export interface EventHandler<Tx extends SqlExecutor = SqlExecutor> {
  handle(events: ConsumedEvent[], tx: Tx): Promise<void | { rejected?: HandlerRejection[] }>;
}

export interface ConsumerRegistration {
  groupId: string;
  topics: readonly TopicName[];
  handler: Type<EventHandler>;
  /** Messages applied per database transaction (default 500). */
  maxBatchSize?: number;
}

/**
 * Runs one consumer group for a service: starts after the app is up (so HTTP
 * health answers even while Kafka is away), stops before connections close.
 */
@Module({})
export class ConsumerModule {
  static register(registration: ConsumerRegistration): DynamicModule {
    const token = Symbol(`consumer:${registration.groupId}`);
    const database = Symbol(`consumer-db:${registration.groupId}`);
    return {
      module: ConsumerModule,
      providers: [
        registration.handler,
        {
          // The consumer's own connections (node-postgres, see pg-db.ts), to the service's database.
          provide: database,
          inject: [APP_CONFIG, ROOT_LOGGER],
          useFactory: (config: { DATABASE_URL: string }, logger: Logger) => new PgTransactionalDb(config.DATABASE_URL, logger),
        },
        {
          provide: token,
          inject: [KAFKA, TopicNamer, EventPublisher, database, registration.handler, APP_CONFIG, ROOT_LOGGER],
          useFactory: (
            kafka: Kafka,
            namer: TopicNamer,
            publisher: EventPublisher,
            db: TransactionalDb,
            handler: EventHandler,
            config: KafkaConfig,
            logger: Logger,
          ) =>
            new EventConsumer({
              kafka,
              namer,
              publisher,
              db,
              groupId: registration.groupId,
              topics: registration.topics,
              handle: async (events, tx) => {
                // A rebuild holds this lock exclusively: batches wait for it instead of interleaving with it.
                if (isRebuildable(handler))
                  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock_shared($1)', projectionLockKey(handler));
                return handler.handle(events, tx);
              },
              logger: logger.child({ consumerGroup: registration.groupId }),
              sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
              maxBatchSize: registration.maxBatchSize,
            }),
        },
        {
          provide: ConsumerLifecycle,
          inject: [token, ReadinessRegistry, registration.handler, database, ROOT_LOGGER],
          useFactory: (
            consumer: EventConsumer,
            readiness: ReadinessRegistry,
            handler: EventHandler,
            db: PgTransactionalDb,
            logger: Logger,
          ) => new ConsumerLifecycle(consumer, readiness, handler, db, logger),
        },
      ],
      exports: [token],
    };
  }
}

class ConsumerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private starting?: Promise<void>;

  constructor(
    private readonly consumer: EventConsumer,
    private readonly readiness: ReadinessRegistry,
    private readonly handler: EventHandler,
    private readonly db: PgTransactionalDb,
    private readonly logger: Logger,
  ) {}

  /** A rebuildable read model is brought to the code's version first (see projection.ts), then consumption starts. */
  onApplicationBootstrap(): void {
    this.readiness.register(`consumer:${this.consumer.groupId}`, async () => this.consumer.readiness());
    const handler = this.handler;
    this.starting = (isRebuildable(handler) ? ensureProjectionVersion(this.db, handler, this.logger) : Promise.resolve()).then(() =>
      this.consumer.start(),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.starting;
    await this.consumer.stop();
    await this.db.$disconnect().catch(() => undefined);
  }
}
