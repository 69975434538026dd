import { Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  KafkaBatchServer,
  type ConsumerState,
  type FetchLoop,
  type KafkaBatchServerOptions,
  type RebuildableProjection,
} from '@darman/messaging';
import { AllExceptionsFilter } from '@darman/platform';

/**
 * A consumer as the services run it: a Nest app whose `@EventPattern`
 * handlers are served by a KafkaBatchServer, with the services' global
 * exception filter. `start` resolves once the transport listens (it joins
 * its group in the background, as in a service); `stop` closes it as a
 * SIGTERM would.
 */
export class ConsumerApp {
  private app?: INestApplicationContext;
  private server?: KafkaBatchServer;

  constructor(
    private readonly module: Type | DynamicModule,
    private readonly server$: (app: INestApplicationContext) => KafkaBatchServerOptions,
  ) {}

  /** For `@EventPattern` classes that need no providers of a service (the messaging tests). */
  static of(controllers: Type[], options: KafkaBatchServerOptions): ConsumerApp {
    @Module({ controllers })
    class TestConsumersModule {}
    return new ConsumerApp(TestConsumersModule, () => options);
  }

  /** A service's own consumers (its app module), with these transport options and the service's projections by class. */
  static forService(
    module: DynamicModule,
    options: Omit<KafkaBatchServerOptions, 'projections'> & { projections?: Type<RebuildableProjection>[] },
  ): ConsumerApp {
    const { projections = [], ...rest } = options;
    return new ConsumerApp(module, (app) => ({ ...rest, projections: projections.map((p) => app.get(p)) }));
  }

  async start(): Promise<void> {
    const app = await NestFactory.create(this.module, { logger: false, abortOnError: false });
    this.server = new KafkaBatchServer(this.server$(app));
    app.useGlobalFilters(new AllExceptionsFilter());
    app.connectMicroservice({ strategy: this.server }, { inheritAppConfig: true });
    await app.init();
    await app.startAllMicroservices();
    this.app = app;
  }

  get state(): ConsumerState {
    return this.server?.unwrap<FetchLoop | undefined>()?.state ?? 'stopped';
  }

  /** The app (its providers: repositories, projections). */
  get(token: Parameters<INestApplicationContext['get']>[0]) {
    return this.app!.get(token);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }
}
