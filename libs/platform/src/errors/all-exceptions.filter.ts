import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
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

/** Maps any thrown value to an AppError; unknown errors become a bare 500. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const known = HTTP_CODES[status];
    if (known) return new AppError(known.code, status, { en: known.en, fa: known.fa });
    if (status >= 500) return CommonErrors.internal();
    return new AppError(`HTTP_${status}`, status, { en: exception.message, fa: 'درخواست انجام نشد.' });
  }
  // body-parser errors carry a status and a type (e.g. entity.parse.failed).
  const maybe = exception as { status?: number; type?: string } | undefined;
  if (maybe && typeof maybe.status === 'number' && maybe.status >= 400 && maybe.status < 500) {
    const known = HTTP_CODES[maybe.status] ?? HTTP_CODES[400]!;
    const code = maybe.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : known.code;
    return new AppError(code, maybe.status, { en: known.en, fa: known.fa });
  }
  return CommonErrors.internal();
}

/** The one place that writes error responses, in the shape API.md defines. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Kafka handlers (the app config is inherited by the consumer transport): the error goes back to the
    // transport as it is, which decides between a retry and the DLQ by its type.
    if (host.getType() === 'rpc') return throwError(() => exception);
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const error = toAppError(exception);
    if (error.statusCode >= HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logger.error({ err: exception, path: request.url }, 'unhandled error');
    }
    if (response.headersSent) return;
    const persian = prefersPersian(request.headers['accept-language']);
    const body: ErrorBody = {
      statusCode: error.statusCode,
      code: error.code,
      message: persian ? error.text.fa : error.text.en,
      details: error.details,
    };
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(error.statusCode).json(body);
  }
}
