import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { ACCESS_TOKEN, AccessErrors, type Caller } from '@darman/access';
import { MEMBERSHIP_TYPES, type MembershipType } from '@darman/contracts';
import { APP_CONFIG, CommonErrors } from '@darman/platform';
import jwksRsa from 'jwks-rsa';
import { ExtractJwt, Strategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { GatewayConfig } from '../config/gateway.config.js';

interface AccessTokenPayload {
  sub?: unknown;
  mt?: unknown;
  sid?: unknown;
}

/**
 * Verifies access tokens with identity's public keys from `/auth/jwks`
 * (cached; an unknown `kid` triggers a rate-limited refetch). Only RS256 is
 * accepted, so `alg: none` and HMAC-forged tokens fail.
 */
/**
 * jwks-rsa hands out each key as PEM text, which jsonwebtoken parses again on
 * every request (a tenth of the gateway's CPU under load): the parsed key is
 * kept per PEM. Keys only come from identity's key set, a handful at most.
 */
function withParsedKeys(provider: SecretOrKeyProvider): SecretOrKeyProvider {
  const parsed = new Map<string, KeyObject>();
  return (request, rawJwtToken, done) =>
    provider(request, rawJwtToken, (error, pem) => {
      if (error || typeof pem !== 'string') return done(error, pem);
      let key = parsed.get(pem);
      if (!key) {
        if (parsed.size >= 16) parsed.clear();
        key = createPublicKey(pem);
        parsed.set(pem, key);
      }
      done(null, key as unknown as string);
    });
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: withParsedKeys(
        jwksRsa.passportJwtSecret({
          jwksUri: new URL('/auth/jwks', config.IDENTITY_URL).toString(),
          cache: true,
          cacheMaxAge: 10 * 60_000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: config.UPSTREAM_TIMEOUT_MS,
        }),
      ),
      algorithms: [ACCESS_TOKEN.algorithm],
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
    });
  }

  validate(payload: AccessTokenPayload): Caller | false {
    const { sub, mt, sid } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !MEMBERSHIP_TYPES.includes(mt as MembershipType)) return false;
    return { nationalCode: sub, membershipType: mt as MembershipType, sessionId: sid };
  }
}

/** Member routes: 401 TOKEN_EXPIRED for an expired token, 401 UNAUTHORIZED for a missing or invalid one. */
@Injectable()
export class MemberAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T = Caller>(error: unknown, user: T | false, info: unknown, _context: ExecutionContext): T {
    // passport-jwt reports a failed key lookup as `info`, not as an error.
    const problem = (error ?? info) as { name?: string; code?: string } | undefined;
    if (problem?.name === 'TokenExpiredError') throw AccessErrors.tokenExpired();
    if (problem?.name === 'JwksError' || problem?.name === 'JwksRateLimitError' || /^E[A-Z]+$/.test(problem?.code ?? '')) {
      // The key set could not be fetched: identity is away, not the member's fault.
      throw CommonErrors.serviceUnavailable('identity');
    }
    if (error || !user) throw AccessErrors.tokenInvalid();
    return user;
  }
}
