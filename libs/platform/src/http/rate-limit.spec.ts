import { createHttpAdapter } from '../bootstrap.js';
import { isCredentialRoute } from './credential-routes.js';

describe('credential routes', () => {
  it('are login, activation and password reset under auth/, and the letter verification, below the prefix', () => {
    const yes = ['/auth/login', '/auth/activation/request', '/auth/password/reset'].map((url) => ({ method: 'POST', url }));
    expect(yes.map((r) => isCredentialRoute(r))).toEqual([true, true, true]);
    expect(isCredentialRoute({ method: 'GET', url: '/referrals/verify?trackingCode=X' })).toBe(true);
    expect(isCredentialRoute({ method: 'POST', url: '/api/v1/auth/login' }, '/api/v1')).toBe(true);
    expect(isCredentialRoute({ method: 'POST', url: '/auth/login' }, '/api/v1')).toBe(false);
    expect(isCredentialRoute({ method: 'POST', url: '/auth/refresh' })).toBe(false);
    expect(isCredentialRoute({ method: 'GET', url: '/auth/login' })).toBe(false);
    expect(isCredentialRoute({ method: 'GET', url: '/referrals/verifyx' })).toBe(false);
  });
});

// The client IP every per-IP limit counts is Fastify's request.ip under TRUST_PROXY (the test's peer is loopback).
describe('the client IP of a request', () => {
  const ipOf = async (trustProxy: string, forwardedFor?: string) => {
    const fastify = createHttpAdapter(trustProxy).getInstance();
    fastify.get('/ip', (request, reply) => reply.send(request.ip));
    const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const answer = await fetch(`${address}/ip`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
      return await answer.text();
    } finally {
      await fastify.close();
    }
  };

  it('is the peer when the peer is not a trusted proxy, whatever X-Forwarded-For it claims', async () => {
    expect(await ipOf('10.0.0.0/8', '198.51.100.1')).toBe('127.0.0.1');
    expect(await ipOf('192.168.0.0/16,10.0.0.0/8', '198.51.100.1, 10.0.0.1')).toBe('127.0.0.1');
  });

  it('is the client a trusted proxy names (the gateway on loopback)', async () => {
    expect(await ipOf('loopback', '198.51.100.1')).toBe('198.51.100.1');
    expect(await ipOf('loopback')).toBe('127.0.0.1');
  });
});
