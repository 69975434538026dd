import { Controller, Get, HttpStatus, Injectable, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';

/** A readiness check resolves with details when up and throws (with a reason) when down. */
export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Modules register what the service needs to be ready (database, Kafka,
 * consumer membership); `/health/ready` runs them all.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: ReadinessRegistry,
  ) {}

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([() => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /** 200 with every check's details, or 503 with the same report naming what is down. */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.runChecks();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private runChecks(): Promise<HealthCheckResult> {
    return this.health.check(
      this.registry.entries().map(
        ([name, check]) =>
          () =>
            this.indicators
              .check(name)
              .attempt(async () => (await check()) ?? {})
              .withTimeout(CHECK_TIMEOUT_MS),
      ),
    );
  }
}
