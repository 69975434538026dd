import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import { lastValueFrom, type Observable } from 'rxjs';
import { AppError, CommonErrors } from './app-error.js';
import { AllExceptionsFilter, prefersPersian, toAppError } from './all-exceptions.filter.js';

/** What the filter wrote through the HTTP adapter (the platform-agnostic calls the Fastify adapter implements). */
function respond(exception: unknown, acceptLanguage?: string, headersSent = false) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {};
  const httpAdapter = {
    isHeadersSent: (r: unknown) => r === response && headersSent,
    setHeader: (r: unknown, k: string, v: string) => r === response && (sent.headers[k] = v),
    reply: (r: unknown, body: unknown, status: number) => {
      if (r !== response) return;
      sent.status = status;
      sent.body = body;
    },
  };
  const request = { url: '/x', headers: { 'accept-language': acceptLanguage } };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) };
  new AllExceptionsFilter({ httpAdapter } as unknown as HttpAdapterHost).catch(exception, host as never);
  return sent;
}

/** A Fastify error as Nest hands it to the filters (FastifyAdapter.mapException: an HttpException with it as cause). */
const fromFastify = (error: Error) => new FastifyAdapter().mapException(error);

describe('AllExceptionsFilter', () => {
  it('writes a domain error in the API shape, in Persian when asked', () => {
    const error = new AppError('NATIONAL_CODE_INVALID', 400, { en: 'Invalid national code.', fa: 'کد ملی نامعتبر است.' });
    expect(respond(error, 'fa-IR,fa;q=0.9').body).toEqual({
      statusCode: 400,
      code: 'NATIONAL_CODE_INVALID',
      message: 'کد ملی نامعتبر است.',
      details: [],
    });
    expect(respond(error, 'en').body).toMatchObject({ message: 'Invalid national code.' });
  });

  it('maps framework HTTP errors to stable codes', () => {
    expect(respond(new NotFoundException()).body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(respond(new BadRequestException('x')).body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
  });

  it('hides internals of unknown errors', () => {
    const sent = respond(new Error('secret table darman_identity.credentials exploded'));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('secret');
    expect(sent.body).toMatchObject({ code: 'INTERNAL_ERROR' });
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 500, when the database is away (Prisma, node-postgres, or as a cause)', () => {
    const named = (name: string, code?: string, message = 'x') => Object.assign(new Error(message), { name, code });
    const away = [
      named('PrismaClientKnownRequestError', 'P1001', "Can't reach database server at 127.0.0.1:5432"),
      named('PrismaClientKnownRequestError', 'P2028', 'Transaction API error: Unable to start a transaction in the given time.'),
      named('PrismaClientInitializationError'),
      named('Error', 'ECONNREFUSED'),
      named('error', '57P01', 'terminating connection due to administrator command'),
      new Error('Connection terminated unexpectedly'),
      new Error('query failed', { cause: named('Error', 'ECONNRESET') }),
    ];
    expect(away.map((error) => respond(error).body)).toEqual(
      away.map(() => expect.objectContaining({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' })),
    );
    // A query the database refused for its content is still the code's fault: 500.
    expect(respond(named('PrismaClientKnownRequestError', 'P2002', 'Unique constraint failed')).status).toBe(500);
    expect(respond(named('error', '22P02', 'invalid input syntax for type uuid')).status).toBe(500);
  });

  it('sets headers a domain error carries, such as Retry-After', () => {
    expect(respond(CommonErrors.rateLimited(30)).headers).toEqual({ 'Retry-After': '30' });
  });

  it("answers Fastify's body errors in the API shape: 400 MALFORMED_JSON, 413, 415", () => {
    expect(toAppError(fromFastify(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY()))).toMatchObject({
      statusCode: 400,
      code: 'MALFORMED_JSON',
    });
    expect(toAppError(fromFastify(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE()))).toMatchObject({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(respond(fromFastify(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('application/xml')), 'fa')).toEqual({
      status: 415,
      body: { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'نوع محتوا پشتیبانی نمی‌شود.', details: [] },
      headers: {},
    });
    // Also when one reaches the filter unwrapped.
    expect(toAppError(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY())).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    // A 5xx of the platform is a server fault, with no detail.
    expect(toAppError(new errorCodes.FST_ERR_SEND_UNDEFINED_ERR())).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });

  it('leaves a response whose headers are already sent alone', () => {
    expect(respond(new NotFoundException(), undefined, true)).toEqual({ headers: {} });
  });

  it('hands a Kafka handler its own error back, for the consumer transport to route (retry or DLQ)', async () => {
    const error = new AppError('STATE_CONFLICT', 409, { en: 'x', fa: 'x' });
    const result = new AllExceptionsFilter().catch(error, { getType: () => 'rpc' } as never);
    await expect(lastValueFrom(result as Observable<never>)).rejects.toBe(error);
  });

  it('detects Persian from Accept-Language', () => {
    expect(prefersPersian('fa')).toBe(true);
    expect(prefersPersian('en-US,fa;q=0.5')).toBe(false);
    expect(prefersPersian(undefined)).toBe(false);
  });
});
