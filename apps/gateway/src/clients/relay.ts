import type { Request } from 'express';

/** Headers the gateway relays to an internal service: request id, language and the member's access token. */
export function relayHeaders(request: Request): { requestId?: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const language = request.headers['accept-language'];
  if (typeof language === 'string') headers['accept-language'] = language;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') headers.authorization = authorization;
  const requestId = (request as Request & { id?: unknown }).id ?? request.headers['x-request-id'];
  return { requestId: typeof requestId === 'string' ? requestId : undefined, headers };
}
