import { BadRequestException, NotFoundException } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { AppError, CommonErrors } from './app-error.js';
import { AllExceptionsFilter, prefersPersian } from './all-exceptions.filter.js';

function respond(exception: unknown, acceptLanguage?: string) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    headersSent: false,
    setHeader: (k: string, v: string) => (sent.headers[k] = v),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => (sent.body = body),
  };
  const request = { url: '/x', headers: { 'accept-language': acceptLanguage } };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) };
  new AllExceptionsFilter().catch(exception, host as never);
  return sent;
}

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

  it('sets headers a domain error carries, such as Retry-After', () => {
    expect(respond(CommonErrors.rateLimited(30)).headers).toEqual({ 'Retry-After': '30' });
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
