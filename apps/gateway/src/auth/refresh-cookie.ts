import { CommonErrors, AppError } from '@darman/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The browser option of API.md: `POST /auth/login?cookie=1` (or `X-Refresh-Cookie: 1`) also sets the refresh
 * token as this cookie, and `/auth/refresh` and `/auth/logout` take it instead of the body. `HttpOnly` (no script
 * reads it), `Secure`, `SameSite=Strict`, and scoped to the auth routes, so no other request carries it.
 */
export const REFRESH_COOKIE = 'darman_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';
export const REFRESH_COOKIE_HEADER = 'x-refresh-cookie';

type Request = Pick<FastifyRequest, 'headers' | 'query' | 'protocol' | 'hostname'>;

export const csrfRejected = () =>
  new AppError('CSRF_REJECTED', 403, {
    en: 'The refresh cookie is accepted only from the portal itself, with the X-Refresh-Cookie header.',
    fa: 'کوکی نشست فقط از خود پرتال و همراه سرآیند X-Refresh-Cookie پذیرفته می‌شود.',
  });

/** True when the client asked for the cookie: `?cookie=1` or `X-Refresh-Cookie: 1`. */
export function wantsCookie(request: Request): boolean {
  return (request.query as Record<string, unknown> | undefined)?.cookie === '1' || request.headers[REFRESH_COOKIE_HEADER] === '1';
}

function cookieValue(request: Request): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * The refresh token of a refresh or logout: the body's, as before, or else the cookie's. The cookie alone is
 * never enough (CSRF): the request must carry `X-Refresh-Cookie: 1`, which a cross-site form cannot send and a
 * cross-site script can only with a CORS preflight the gateway does not grant, and an `Origin`, when the browser
 * sends one, must be this gateway's own.
 */
export function refreshTokenOf(request: Request, body: { refreshToken?: string } | undefined): { token: string; fromCookie: boolean } {
  if (body?.refreshToken) return { token: body.refreshToken, fromCookie: false };
  const cookie = cookieValue(request);
  if (cookie === undefined)
    throw CommonErrors.validation([
      { field: 'refreshToken', code: 'isString', message: 'refreshToken must be given, in the body or the refresh cookie' },
    ]);
  const origin = request.headers.origin;
  if (
    request.headers[REFRESH_COOKIE_HEADER] !== '1' ||
    (origin !== undefined && origin !== `${request.protocol}://${request.headers.host}`)
  )
    throw csrfRejected();
  return { token: cookie, fromCookie: true };
}

/** Sets the cookie for as long as the token lives (12 hours, or 30 days with «remember me»). */
export function setRefreshCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=${encodeURIComponent(token)}; Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict; Max-Age=${Math.floor(maxAgeSeconds)}`,
  );
}

export function clearRefreshCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${REFRESH_COOKIE}=; Path=${REFRESH_COOKIE_PATH}; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
}
