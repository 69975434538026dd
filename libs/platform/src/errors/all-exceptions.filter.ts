import type { IncomingHttpHeaders } from 'node:http';
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import { AppError, CommonErrors, type ErrorDetail } from './app-error.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: ErrorDetail[];
}

const HTTP_CODES: Record<number, { code: string; en: string; fa: string }> = {
  400: { code: 'BAD_REQUEST', en: 'The request is not valid.', fa: 'درخواست معتبر نیست.' },
  401: { code: 'UNAUTHORIZED', en: 'Authentication is required.', fa: 'ابتدا وارد حساب کاربری شوید.' },
  403: { code: 'FORBIDDEN', en: 'Access denied.', fa: 'دسترسی مجاز نیست.' },
  404: { code: 'NOT_FOUND', en: 'Not found.', fa: 'یافت نشد.' },
  405: { code: 'METHOD_NOT_ALLOWED', en: 'Method not allowed.', fa: 'این روش درخواست پشتیبانی نمی‌شود.' },
  413: { code: 'PAYLOAD_TOO_LARGE', en: 'The request is too large.', fa: 'حجم درخواست بیش از حد مجاز است.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', en: 'Unsupported content type.', fa: 'نوع محتوا پشتیبانی نمی‌شود.' },
  429: {
    code: 'RATE_LIMITED',
    en: 'Too many requests; try again later.',
    fa: 'تعداد درخواست‌ها زیاد است؛ کمی بعد دوباره تلاش کنید.',
  },
};

export function prefersPersian(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first === 'fa' || first.startsWith('fa-') || first.startsWith('fa;');
}

/** Fastify's error codes with a code of their own in the API (the others take their status's code). */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
};

/**
 * An error of the HTTP platform itself (body parsing, routing): a FastifyError with an `FST_ERR_…` code and a
 * status. Nest hands a 4xx one to the filters wrapped in an HttpException whose `cause` it is.
 */
function fastifyError(exception: unknown): { code: string; statusCode: number } | undefined {
  const candidate = exception instanceof HttpException ? exception.cause : exception;
  const error = candidate as { code?: unknown; statusCode?: unknown } | undefined;
  if (!(candidate instanceof Error) || typeof error?.code !== 'string' || !error.code.startsWith('FST_')) return undefined;
  return typeof error.statusCode === 'number' ? { code: error.code, statusCode: error.statusCode } : undefined;
}

/** Prisma's codes for a database that cannot be reached or answered in time (connection, pool, transaction start). */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** node-postgres and socket codes of a lost or refused connection, and PostgreSQL's own (class 08, shutdown, starting). */
const PG_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

/**
 * Whether an error (or one of its causes) says the database is away rather
 * than that the request or the code is wrong: the answer is then 503, which
 * a client may retry, not a 500.
 */
export function isDatabaseUnavailable(exception: unknown, depth = 0): boolean {
  if (!(exception instanceof Error) || depth > 5) return false;
  const { name, code, message } = exception as Error & { code?: unknown };
  if (name === 'PrismaClientInitializationError') return true;
  if (typeof code === 'string' && (PRISMA_UNAVAILABLE.has(code) || PG_UNAVAILABLE.has(code))) return true;
  if (/Connection terminated unexpectedly|timeout exceeded when trying to connect|Can't reach database server/.test(message)) return true;
  return isDatabaseUnavailable((exception as { cause?: unknown }).cause, depth + 1);
}

/** Maps any thrown value to an AppError; a database that is away becomes 503, other unknown errors a bare 500. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (isDatabaseUnavailable(exception)) return CommonErrors.serviceUnavailable('database');
  // Fastify's body and routing errors: 415 for an unsupported content type, 413 over the body limit, 400 MALFORMED_JSON.
  const framework = fastifyError(exception);
  if (framework && framework.statusCode >= 400 && framework.statusCode < 500) {
    const known = HTTP_CODES[framework.statusCode] ?? HTTP_CODES[400]!;
    return new AppError(FASTIFY_CODES[framework.code] ?? known.code, framework.statusCode, { en: known.en, fa: known.fa });
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const known = HTTP_CODES[status];
    if (known) return new AppError(known.code, status, { en: known.en, fa: known.fa });
    if (status >= 500) return CommonErrors.internal();
    return new AppError(`HTTP_${status}`, status, { en: exception.message, fa: 'درخواست انجام نشد.' });
  }
  return CommonErrors.internal();
}

/**
 * The one place that writes error responses, in the shape API.md defines. It writes through the HTTP
 * platform's adapter (Fastify's reply, or the raw response where Fastify hands one to a middleware).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** The adapter host is absent only where no HTTP is served (a consumer-only app: `ConsumerApp`). */
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Kafka handlers (the app config is inherited by the consumer transport): the error goes back to the
    // transport as it is, which decides between a retry and the DLQ by its type.
    if (host.getType() === 'rpc') return throwError(() => exception);
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    const request = http.getRequest<{ url?: string; headers: IncomingHttpHeaders }>();
    const error = toAppError(exception);
    if (error.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.error({ err: exception, path: request.url }, 'unhandled error');
    }
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) throw new Error('AllExceptionsFilter needs the HTTP adapter to answer an HTTP request');
    if (adapter.isHeadersSent(response)) return;
    const persian = prefersPersian(request.headers['accept-language']);
    const body: ErrorBody = {
      statusCode: error.statusCode,
      code: error.code,
      message: persian ? error.text.fa : error.text.en,
      details: error.details,
    };
    for (const [name, value] of Object.entries(error.headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, error.statusCode);
  }
}
