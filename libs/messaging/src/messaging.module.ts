import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, ReadinessRegistry, ROOT_LOGGER, SERVICE_NAME, type KafkaConfig } from '@darman/platform';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafka, parseBrokers, TopicNamer } from './kafka.js';
import { registerLagSource } from './metrics.js';
import { EventPublisher } from './publisher.js';

export const KAFKA = Symbol('KAFKA');

/**
 * Broker reachability for `/health/ready`: a metadata request with a short
 * timeout, on an admin client that reconnects after a failure.
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

  /** Admin client for lag metrics; undefined while the broker is away. */
  async adminOrUndefined(): Promise<Admin | undefined> {
    try {
      return await this.connected();
    } catch {
      await this.close();
      return undefined;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

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
          useFactory: (kafka: Kafka, service: string, namer: TopicNamer) => new EventPublisher(kafka, `darman-${service}`, namer),
        },
        { provide: KafkaHealth, inject: [KAFKA], useFactory: (kafka: Kafka) => new KafkaHealth(kafka) },
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
    registerLagSource(() => this.health.adminOrUndefined());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect().catch(() => undefined);
    await this.health.close();
  }
}
