import type { FastifyRequest } from 'fastify';

/** What the gateway relays from a request; structural, so anything with Fastify's `id` and `headers` will do. */
type RelayedRequest = Pick<FastifyRequest, 'id' | 'headers'>;

/**
 * Headers the gateway relays to an internal service: request id, language and the member's access token.
 * The request id is the one this request was logged under (Fastify's `request.id`, taken from a valid
 * incoming `x-request-id`), so one id follows the request through every service's logs.
 */
export function relayHeaders(request: RelayedRequest): { requestId?: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const language = request.headers['accept-language'];
  if (typeof language === 'string') headers['accept-language'] = language;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') headers.authorization = authorization;
  const requestId: unknown = request.id ?? request.headers['x-request-id'];
  return { requestId: typeof requestId === 'string' && requestId !== '' ? requestId : undefined, headers };
}
