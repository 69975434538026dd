import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  registerDecorator,
  validateSync,
  type ValidationOptions,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;

/** Thrown at start when the environment is missing or has a bad variable; names every offender. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const BROKER_LIST = /^[^\s,]+:\d+(,[^\s,]+:\d+)*$/;

/** Refuses a variable when NODE_ENV is production (test-only switches). */
export function AbsentInProduction(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'absentInProduction',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must not be set when NODE_ENV is production', ...options },
      validator: {
        validate: (value: unknown, args) => value === undefined || (args?.object as BaseConfig | undefined)?.NODE_ENV !== 'production',
      },
    });
}

/** Variables every service reads. Services extend this class with their own. */
export class BaseConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT!: number;

  /**
   * Which peers' X-Forwarded-For is believed for the client IP (rate limits,
   * logs): `loopback` (a proxy on the same host), or comma-separated addresses
   * and CIDRs of the proxies in front. Anyone else's header is ignored.
   */
  @Matches(/^(loopback|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, { message: 'must be loopback or addresses/CIDRs, comma-separated' })
  TRUST_PROXY = 'loopback';

  /** How long a whole request (headers and body) may take to arrive before it is answered 408 and its socket closed. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  REQUEST_TIMEOUT_MS = 60_000;

  /** Internal services listen on loopback only; containers set 0.0.0.0. */
  @IsString()
  HOST = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Optional file path for the JSON log (stdout otherwise). */
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  /** Shutdown budget: in-flight work gets this long before the process exits. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10_000;
}

export class KafkaConfig extends BaseConfig {
  @Matches(BROKER_LIST, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  /** Prepended to every topic and group name; lets tests run in isolation on one broker. */
  @Matches(/^[a-zA-Z0-9._-]*$/)
  TOPIC_PREFIX = '';

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(6000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS = 10_000;
}

/** A service with a database of its own. */
export class ServiceConfig extends KafkaConfig {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgresql:// URL' })
  DATABASE_URL!: string;
}

/**
 * Reads and validates configuration from the environment; throws ConfigError
 * naming each missing or bad variable so the service refuses to start.
 */
export function loadConfig<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(cls, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => ({
        variable: e.property,
        problem: e.value === undefined ? 'is required' : `${JSON.stringify(e.value)} ${Object.values(e.constraints ?? {}).join('; ')}`,
      })),
    );
  }
  return config;
}
