// The portal's API client: openapi-fetch over the types generated from the gateway's OpenAPI document
// (schema.d.ts, `npm run docs:openapi`), so a route, parameter or field the gateway does not have fails the type
// check. Every call sends the member's language (the API answers errors in it) and the access token, which lives
// in this module's memory only. The refresh token never reaches script: it is an HttpOnly cookie the gateway sets
// on /auth/login?cookie=1 and reads on /auth/refresh and /auth/logout, sent only with the X-Refresh-Cookie header
// (which a cross-site form cannot add).
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ApiError = Schemas['ErrorResponseDto'];

let accessToken: string | undefined;
let language = 'fa';
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let onSessionEnd: () => void = () => undefined;

const COOKIE_HEADERS = { 'X-Refresh-Cookie': '1' };

export const api = createClient<paths>({ baseUrl: '/' });

const auth: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', language);
    if (accessToken && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${accessToken}`);
    return request;
  },
};
api.use(auth);

export function setLanguage(lang: string): void {
  language = lang;
}

export function whenSessionEnds(handler: () => void): void {
  onSessionEnd = handler;
}

export function isLoggedIn(): boolean {
  return accessToken !== undefined;
}

/** Keeps the new access token and refreshes it through the cookie a minute before it expires. */
function keep(pair: Schemas['TokenPairDto']): void {
  accessToken = pair.accessToken;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh().then((ok) => ok || end()), Math.max(5, pair.expiresIn - 60) * 1000);
}

function end(): void {
  accessToken = undefined;
  clearTimeout(refreshTimer);
  onSessionEnd();
}

let refreshing: Promise<boolean> | undefined;

/**
 * The refresh cookie exchanged for a new pair: true when a session goes on (after a reload, too). One exchange at
 * a time: calls that need it meanwhile share it, since presenting a spent refresh token twice revokes the session.
 */
export function refresh(): Promise<boolean> {
  refreshing ??= api
    .POST('/api/v1/auth/refresh', { headers: COOKIE_HEADERS })
    .then(({ data }) => {
      if (!data) {
        accessToken = undefined;
        return false;
      }
      keep(data);
      return true;
    })
    .finally(() => (refreshing = undefined));
  return refreshing;
}

export async function login(body: Schemas['LoginDto']): Promise<ApiError | undefined> {
  const { data, error } = await api.POST('/api/v1/auth/login', { params: { query: { cookie: '1' } }, headers: COOKIE_HEADERS, body });
  if (data) keep(data);
  return error as ApiError | undefined;
}

export async function logout(): Promise<void> {
  await api.POST('/api/v1/auth/logout', { headers: COOKIE_HEADERS }).catch(() => undefined);
  accessToken = undefined;
  clearTimeout(refreshTimer);
}

/** An answer's error as the API shapes it, or a generic one when the network failed. */
export function problem(error: unknown): ApiError {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return error as ApiError;
  return { statusCode: 0, code: 'NETWORK', message: '', details: [] } as ApiError;
}

/**
 * A member call: its data, or throws its API error. A 401 (token expired or session revoked) tries the refresh
 * cookie once and repeats the call; when that fails too, the session ends (back to the login page).
 */
export async function call<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer = await request();
  if (answer.response.status === 401 && accessToken !== undefined) {
    if (await refresh()) answer = await request();
    else end();
  }
  if (answer.error !== undefined || answer.data === undefined) {
    if (answer.response.status === 401) end();
    throw problem(answer.error);
  }
  return answer.data;
}

/** A file handed to the browser as a download (a blob URL: the CSP allows no other way in without the token). */
export function saveFile(blob: Blob, label: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = label;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** FormData goes out as it is (multipart with the browser's boundary), not as JSON. */
export const asMultipart = { bodySerializer: (body: unknown) => body as FormData };
