/**
 * Guessing routes: login, activation, password reset (POST under `auth/`), and the public letter verification
 * (GET `referrals/verify`), below `prefix` (the gateway's `/api/v1`, a service's root). They get a per-IP limit
 * of their own (rate-limit.ts).
 */
export function isCredentialRoute(request: { method: string; url: string }, prefix = ''): boolean {
  const path = request.url.startsWith(prefix) ? request.url.slice(prefix.length) : '';
  if (request.method === 'GET') return /^\/referrals\/verify(\?|$)/.test(path);
  return request.method === 'POST' && /^\/auth\/(login|activation\/|password\/)/.test(path);
}
