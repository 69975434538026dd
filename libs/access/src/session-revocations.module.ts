import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Topics, validateEvent, type ContractEvent } from '@darman/contracts';
import { BroadcastSubscriber, createKafka, parseBrokers, TopicNamer } from '@darman/messaging';
import { APP_CONFIG, ReadinessRegistry, ROOT_LOGGER, SERVICE_NAME, type KafkaConfig } from '@darman/platform';
import type { Logger } from 'pino';
import { RevokedSessions } from './revoked-sessions.js';

const RETRY_MS = 2_000;

/**
 * Follows `portal.sessions.v1` into this process's RevokedSessions: the whole
 * topic at start, then each SessionRevoked as identity publishes it. The
 * process is not ready until it has read what the topic held when it started
 * (a replica that just started must not accept a token revoked a minute ago).
 * A broker that is away at start is retried in the background.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscriber?: BroadcastSubscriber;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: KafkaConfig,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(RevokedSessions) private readonly revoked: RevokedSessions,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('sessions', async () => {
      if (!this.subscriber?.caughtUp) throw new Error('still reading the revoked sessions of portal.sessions.v1');
      return { revoked: this.revoked.size };
    });
    void this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.subscriber?.stop();
  }

  /** One message of the topic: a valid SessionRevoked is remembered, anything else is logged and skipped. */
  apply(value: Buffer | null): void {
    const result = validateEvent(Topics.portalSessions, value);
    if (!result.ok) {
      this.logger.warn({ code: result.code, reason: result.message }, 'portal.sessions.v1: message skipped');
      return;
    }
    // validateEvent checked the payload against its class: the data is a SessionRevokedData.
    const event = result.event as unknown as ContractEvent;
    if (event.eventType === 'SessionRevoked') this.revoked.revoke(event.data.sessionId, Date.parse(event.data.revokedAt));
  }

  private async start(): Promise<void> {
    const namer = new TopicNamer(this.config.TOPIC_PREFIX);
    const kafka = createKafka({
      brokers: parseBrokers(this.config.KAFKA_BROKERS),
      clientId: `darman-${this.service}-sessions`,
      logger: this.logger,
    });
    const subscriber = new BroadcastSubscriber(kafka, {
      topic: namer.topic(Topics.portalSessions),
      groupPrefix: namer.group(`darman-${this.service}-sessions`),
      logger: this.logger,
      onMessage: (value) => this.apply(value),
    });
    try {
      await subscriber.start();
      if (this.stopped) await subscriber.stop();
      else this.subscriber = subscriber;
    } catch (error) {
      await subscriber.stop();
      if (this.stopped) return;
      this.logger.warn({ err: error }, `portal.sessions.v1 not readable yet; retrying in ${RETRY_MS} ms`);
      this.retry = setTimeout(() => void this.start(), RETRY_MS);
    }
  }
}

/**
 * The sessions that ended, in memory (RevokedSessions, fed by
 * SessionRevocations). Global: the gateway imports it itself, the services
 * through AccessModule.
 */
@Global()
@Module({})
export class SessionRevocationsModule {
  static forRoot(): DynamicModule {
    return {
      module: SessionRevocationsModule,
      providers: [{ provide: RevokedSessions, useFactory: () => new RevokedSessions() }, SessionRevocations],
      exports: [RevokedSessions],
    };
  }
}
