import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { ConfigError, loadConfig, type BaseConfig } from './config/config.js';
import { httpMetricsMiddleware, startDefaultMetrics } from './metrics/metrics.js';

export interface BootstrapOptions<C extends BaseConfig> {
  service: string;
  configClass: new () => C;
  module: (config: C) => DynamicModule;
  /** Extra setup before listening (Swagger, global guards…). */
  configure?: (app: NestExpressApplication, config: C) => void | Promise<void>;
  /** The app's event consumer transport (a provider of the app module), connected as a hybrid-app microservice. */
  consumers?: Type<CustomTransportStrategy>;
}

/**
 * Starts a service: validates config (exit 1 naming the bad variable), builds
 * the app, listens, and on SIGTERM/SIGINT closes it — consumers stop and
 * commit, relays flush, connections close — then exits 0.
 */
export async function bootstrapService<C extends BaseConfig>(options: BootstrapOptions<C>): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig(options.configClass);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${options.service}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  startDefaultMetrics(options.service);
  const app = await NestFactory.create<NestExpressApplication>(options.module(config), {
    bufferLogs: true,
    forceCloseConnections: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(httpMetricsMiddleware);
  await options.configure?.(app, config);
  // Global pipes, filters and interceptors apply to the `@EventPattern` handlers too.
  if (options.consumers) app.connectMicroservice({ strategy: app.get(options.consumers) }, { inheritAppConfig: true });

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app
      .close()
      .then(() => {
        logger.log('shutdown complete');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  await app.listen(config.PORT, config.HOST);
  logger.log(`${options.service} listening on ${config.HOST}:${config.PORT}`);
  // After HTTP, so health answers while Kafka is away; the transport connects in the background.
  await app.startAllMicroservices();
  return app;
}
