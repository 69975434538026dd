import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { DynamicModule } from '@nestjs/common';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Field paths never written to logs (secrets, one-time codes, tokens). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-darman-caller"]',
  'password',
  'newPassword',
  'currentPassword',
  'captchaAnswer',
  'refreshToken',
  'accessToken',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.captchaAnswer',
  '*.refreshToken',
  '*.accessToken',
];

/**
 * The id of a request: the caller's `x-request-id` (or `x-correlation-id`) when it is a plain token, else a new
 * UUID. Kept on the raw request, so the HTTP platform (Fastify's `request.id`) and pino-http (which reuses
 * `req.id`) give the same id to the request, its log lines and the calls the gateway relays.
 */
export function requestIdOf(req: IncomingMessage & { id?: unknown }): string {
  if (typeof req.id === 'string') return req.id;
  const incoming = req.headers[REQUEST_ID_HEADER] ?? req.headers['x-correlation-id'];
  const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  req.id = id;
  return id;
}

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdOf(req);
  if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export interface LoggingOptions {
  service: string;
  level: string;
  file?: string;
}

/** A pino logger for code outside Nest's DI (scripts, bootstrap errors). */
export function createPinoLogger(options: LoggingOptions): pino.Logger {
  return pino(
    { level: options.level, base: { service: options.service }, redact: REDACT_PATHS },
    options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : undefined,
  );
}

/**
 * Structured JSON logs with a request id per HTTP request (taken from
 * x-request-id when sent). `logger` is the process's root logger, shared with
 * code outside HTTP (consumers, relays) so all lines go to one stream.
 */
export function loggingModule(logger: pino.Logger): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger,
      genReqId: requestId,
      customAttributeKeys: { reqId: 'requestId' },
      // The path as requested: Fastify's middleware layer may strip the matched prefix from `req.url`.
      autoLogging: { ignore: (req) => /^\/(health|metrics)/.test((req as { originalUrl?: string }).originalUrl ?? req.url ?? '') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
  });
}
