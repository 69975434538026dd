import type { FastifyRequest } from 'fastify';

/** What the gateway relays from a request; structural, so anything with Fastify's `id` and `headers` will do. */
type RelayedRequest = Pick<FastifyRequest, 'id' | 'headers'> & Partial<Pick<FastifyRequest, 'ip'>>;

/**
 * Headers the gateway relays to an internal service: request id, language, the member's access token, and the
 * client's address as the gateway determined it (`X-Forwarded-For`, believed by services from TRUST_PROXY peers, so
 * identity's own per-IP limits count the client, not the gateway).
 * The request id is the one this request was logged under (Fastify's `request.id`, taken from a valid
 * incoming `x-request-id`), so one id follows the request through every service's logs.
 */
export function relayHeaders(request: RelayedRequest): { requestId?: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const language = request.headers['accept-language'];
  if (typeof language === 'string') headers['accept-language'] = language;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') headers.authorization = authorization;
  if (request.ip) headers['x-forwarded-for'] = request.ip;
  const requestId: unknown = request.id ?? request.headers['x-request-id'];
  return { requestId: typeof requestId === 'string' && requestId !== '' ? requestId : undefined, headers };
}
