import { Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { DATABASE, ReadinessRegistry, ROOT_LOGGER } from '@darman/platform';
import type { Logger } from 'pino';
import { OutboxRelay } from './outbox.js';
import { EventPublisher } from './transport/publisher.js';
import type { TransactionalDb } from './sql.js';

/** The relay of a service that publishes through its outbox; inject OutboxRelay to `kick()` it after a write. */
@Module({})
export class OutboxModule {
  static forRoot(): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        {
          provide: OutboxRelay,
          inject: [DATABASE, EventPublisher, ROOT_LOGGER],
          useFactory: (db: TransactionalDb, publisher: EventPublisher, logger: Logger) =>
            new OutboxRelay({ db, publisher, logger: logger.child({ component: 'outbox' }) }),
        },
        {
          provide: OutboxLifecycle,
          inject: [OutboxRelay, ReadinessRegistry],
          useFactory: (relay: OutboxRelay, readiness: ReadinessRegistry) => new OutboxLifecycle(relay, readiness),
        },
      ],
      exports: [OutboxRelay],
    };
  }
}

class OutboxLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register('outbox', async () => ({ pending: await this.relay.pending() }));
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
