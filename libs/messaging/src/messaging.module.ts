import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, ReadinessRegistry, ROOT_LOGGER, SERVICE_NAME, type KafkaConfig } from '@darman/platform';
import type { Logger } from 'pino';
import { registerLagReader } from './metrics.js';
import { TopicNamer } from './topic-namer.js';
import { createKafka, parseBrokers, type KafkaClient } from './transport/kafka.js';
import { KafkaHealth } from './transport/kafka-health.js';
import { EventPublisher } from './transport/publisher.js';

export const KAFKA = Symbol('KAFKA');

@Global()
@Module({})
export class MessagingModule {
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: KAFKA,
          inject: [APP_CONFIG, SERVICE_NAME, ROOT_LOGGER],
          useFactory: (config: KafkaConfig, service: string, logger: Logger) =>
            createKafka({ brokers: parseBrokers(config.KAFKA_BROKERS), clientId: `darman-${service}`, logger }),
        },
        { provide: TopicNamer, inject: [APP_CONFIG], useFactory: (config: KafkaConfig) => new TopicNamer(config.TOPIC_PREFIX) },
        {
          provide: EventPublisher,
          inject: [KAFKA, SERVICE_NAME, TopicNamer],
          useFactory: (kafka: KafkaClient, service: string, namer: TopicNamer) => new EventPublisher(kafka, `darman-${service}`, namer),
        },
        { provide: KafkaHealth, inject: [KAFKA], useFactory: (kafka: KafkaClient) => new KafkaHealth(kafka) },
        MessagingLifecycle,
      ],
      exports: [KAFKA, TopicNamer, EventPublisher, KafkaHealth],
    };
  }
}

class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KafkaHealth) private readonly health: KafkaHealth,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('kafka', () => this.health.check());
    registerLagReader((group, topics) => this.health.lag(group, topics));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect().catch(() => undefined);
    await this.health.close();
  }
}
