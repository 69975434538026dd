import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AllExceptionsFilter } from './errors/all-exceptions.filter.js';
import { createValidationPipe } from './errors/validation.js';
import { HealthController, ReadinessRegistry } from './health/readiness.js';
import { createPinoLogger, loggingModule } from './logging/logging.js';
import { MetricsController } from './metrics/metrics.js';
import type { BaseConfig } from './config/config.js';

/** Injection token of the validated configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
/** The process's root pino logger, for code that logs outside a request. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export interface PlatformOptions {
  service: string;
  config: BaseConfig;
}

/**
 * What every Darman service has: validated config, JSON logs with request ids,
 * the API error shape, validation, `/health/live`, `/health/ready`, `/metrics`.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const logger = createPinoLogger({
      service: options.service,
      level: options.config.LOG_LEVEL,
      file: options.config.LOG_FILE,
    });
    return {
      module: PlatformModule,
      imports: [loggingModule(logger), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        ReadinessRegistry,
        { provide: APP_CONFIG, useValue: options.config },
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [ReadinessRegistry, APP_CONFIG, SERVICE_NAME, ROOT_LOGGER],
    };
  }
}
