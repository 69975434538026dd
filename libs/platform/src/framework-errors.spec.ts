import { jest } from '@jest/globals';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

// nestjs-pino (CommonJS, imported by bootstrap.ts) requires @nestjs/common, an ES module jest's loader cannot
// require: it gets the instance the ES graph imports (as in the gateway's OpenAPI spec).
for (const name of ['@nestjs/common', '@nestjs/core']) {
  const esm = await import(name);
  jest.mock(name, () => esm);
}
const { frameworkErrorHandler } = await import('./bootstrap.js');

function answer(code: string, acceptLanguage?: string) {
  const sent: { status?: number; type?: string; body?: unknown } = {};
  const reply = {
    code(status: number) {
      sent.status = status;
      return this;
    },
    type(type: string) {
      sent.type = type;
      return this;
    },
    send(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const error = Object.assign(new Error('router error'), { code, statusCode: 400 }) as FastifyError;
  frameworkErrorHandler(
    error,
    { headers: { 'accept-language': acceptLanguage } } as unknown as FastifyRequest,
    reply as unknown as FastifyReply,
  );
  return sent;
}

describe("Fastify's router errors", () => {
  it('answer a path parameter that does not decode as 400 INVALID_CHARACTERS in the API error shape, without echoing the path', () => {
    const sent = answer('FST_ERR_BAD_URL');
    expect(sent.status).toBe(400);
    expect(sent.type).toMatch(/^application\/json/);
    expect(sent.body).toEqual({
      statusCode: 400,
      code: 'INVALID_CHARACTERS',
      message: expect.any(String),
      details: [{ field: 'path', code: 'INVALID_CHARACTERS', message: expect.any(String) }],
    });
  });

  it('answer a path parameter over the router limit as 414 URI_TOO_LONG, in Persian when asked', () => {
    const sent = answer('FST_ERR_MAX_PARAM_LENGTH', 'fa');
    expect(sent.status).toBe(414);
    expect(sent.body).toEqual({ statusCode: 414, code: 'URI_TOO_LONG', message: 'مسیر درخواست بیش از حد طولانی است.', details: [] });
  });
});
