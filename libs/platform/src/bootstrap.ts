import 'reflect-metadata';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError, loadConfig, type BaseConfig } from './config/config.js';
import { REQUEST_ID_HEADER, requestIdOf } from './logging/logging.js';
import helmet from 'helmet';
import { AppError } from './errors/app-error.js';
import { prefersPersian, toAppError, type ErrorBody } from './errors/all-exceptions.filter.js';
import { checkJsonBody, checkRequestTarget, InputErrors } from './http/input-guard.js';
import { registerHttpMetrics, startDefaultMetrics } from './metrics/metrics.js';

/** The largest JSON or form body accepted (413 PAYLOAD_TOO_LARGE above it): 100 KiB, what the services had on Express. */
export const BODY_LIMIT_BYTES = 100 * 1024;

export interface BootstrapOptions<C extends BaseConfig> {
  service: string;
  configClass: new () => C;
  module: (config: C) => DynamicModule;
  /** Extra setup before listening (Swagger, global guards…). */
  configure?: (app: NestFastifyApplication, config: C) => void | Promise<void>;
  /** The app's event consumer transport (a provider of the app module), connected as a hybrid-app microservice. */
  consumers?: Type<CustomTransportStrategy>;
}

/**
 * The HTTP platform of every service: Fastify behind Nest. X-Forwarded-For is
 * believed from the TRUST_PROXY peers only (default: loopback), bodies are capped at BODY_LIMIT_BYTES,
 * a trailing slash matches the route without it (as on Express), and each
 * request's id is the caller's `x-request-id` when valid (see requestIdOf).
 */
export function createHttpAdapter(trustProxy = 'loopback', requestTimeoutMs = REQUEST_TIMEOUT_MS): FastifyAdapter {
  const adapter = new FastifyAdapter({
    trustProxy: trustProxy === 'loopback' ? 'loopback' : trustProxy.split(','),
    bodyLimit: BODY_LIMIT_BYTES,
    // Headers must arrive within the same time (Node's own check, every second instead of every 30 s).
    requestTimeout: requestTimeoutMs,
    http: { connectionsCheckingInterval: 1_000 },
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    routerOptions: { ignoreTrailingSlash: true },
  });
  adapter.getInstance().addHook('onRequest', bodyDeadline(requestTimeoutMs));
  return adapter;
}

/**
 * A body must arrive whole within `timeoutMs` of its headers (a minute by
 * default: the largest upload, 40 MB, at 5.5 Mbit/s). Node's requestTimeout
 * does not end a request Fastify is already reading, so a body dripped a byte
 * at a time held its socket for as long as the client liked; now it is answered
 * 408 REQUEST_TIMEOUT in the API shape and the socket closed.
 */
function bodyDeadline(timeoutMs: number) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const raw = request.raw;
    if (raw.complete) return done();
    const timer = setTimeout(() => {
      if (raw.complete) return;
      if (!reply.raw.headersSent) raw.socket.end(rawErrorAnswer(408));
      raw.socket.destroy();
    }, timeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
    done();
  };
}

export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Errors of Fastify's router, raised before any hook or Nest filter runs (so Fastify would answer them in its own
 * shape, echoing the path): a path parameter that does not decode (invalid UTF-8, a lone surrogate's bytes) and
 * one longer than the router's limit. Answered in the API's error shape.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_BAD_URL'
      ? InputErrors.invalidCharacters('path')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('URI_TOO_LONG', 414, { en: 'The request path is too long.', fa: 'مسیر درخواست بیش از حد طولانی است.' })
        : toAppError(error);
  const body: ErrorBody = {
    statusCode: appError.statusCode,
    code: appError.code,
    message: prefersPersian(request.headers['accept-language']) ? appError.text.fa : appError.text.en,
    details: appError.details,
  };
  void reply.code(appError.statusCode).type('application/json; charset=utf-8').send(body);
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers too
 * large, malformed request line), answered in the API's error shape too.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorAnswer(error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400));
}

const RAW_ERRORS = {
  431: { code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large.' },
  408: { code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time.' },
  400: { code: 'BAD_REQUEST', message: 'The request could not be read.' },
};

/** A whole HTTP answer in the API error shape, written to the socket itself (no request or reply object to use). */
function rawErrorAnswer(status: keyof typeof RAW_ERRORS): string {
  const known = RAW_ERRORS[status];
  const body = JSON.stringify({ statusCode: status, code: known.code, message: known.message, details: [] });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Security headers of every answer (helmet): HSTS, nosniff, no framing, no
 * referrer, and a CSP that lets Swagger UI run its own script and styles
 * from this origin and nothing else.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
});

/**
 * Request handling every service shares, on the app's Fastify instance: the
 * request id echoed in `x-request-id`, the request-duration histogram, and
 * the JSON parser (an empty JSON body is no body, as on Express, so the
 * validation of the route answers it; malformed JSON is 400 MALFORMED_JSON).
 */
export function configureHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    securityHeaders(request.raw, reply.raw, () => undefined);
    // No route, query or repository sees a NUL or a broken Unicode sequence (PostgreSQL cannot store them).
    try {
      checkRequestTarget(request.url);
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
  registerHttpMetrics(fastify);
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<Server>('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    json(request, body.toString('utf8'), (error, parsed) => {
      if (error) return done(error, undefined);
      // Depth and characters are checked before any DTO transform recurses into the body.
      try {
        checkJsonBody(parsed);
      } catch (refused) {
        return done(refused as Error, undefined);
      }
      done(null, parsed);
    });
  });
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
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module(config),
    createHttpAdapter(config.TRUST_PROXY, config.REQUEST_TIMEOUT_MS),
    {
      bufferLogs: true,
      forceCloseConnections: true,
    },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureHttp(app);
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
