import { AppError, CommonErrors } from '@darman/platform';
import { createRemoteJWKSet, errors as joseErrors } from 'jose';

type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

const keySets = new Map<string, RemoteKeySet>();

/**
 * Identity's key set at `url`, one per process: a service's member-token and
 * service-token verifiers share its cache, its refetches and its cooldown (an
 * unknown `kid` costs at most one fetch per 30 s, whoever asks).
 */
export function remoteKeySet(url: string): RemoteKeySet {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    keySets.set(url, keys);
  }
  return keys;
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is none or it is not one. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
  return match ? match[1]! : null;
}

/**
 * How a failed verification is answered: an AppError as it is, an expired
 * token as `expired()`, any other jose refusal 401, and a key set that could
 * not be fetched 503 (not the caller's fault).
 */
export function verificationFailure(error: unknown, expired: () => AppError): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof joseErrors.JWTExpired) return expired();
  if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) return CommonErrors.unauthorized();
  return CommonErrors.serviceUnavailable('identity');
}
