import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { MEMBERSHIP_TYPES, type MembershipType } from '@darman/contracts';
import { AppError, CommonErrors } from '@darman/platform';
import { jwtVerify } from 'jose';
import { bearerToken, remoteKeySet, verificationFailure } from './jose-keys.js';
import type { RevokedSessions } from './revoked-sessions.js';
import { VerifiedTokens } from './verified-tokens.js';

/** The member a request acts for, as proven by their access token. */
export interface Caller {
  nationalCode: string;
  membershipType: MembershipType;
  /** Refresh-token family (session) the access token was issued in. */
  sessionId: string;
}

/** The access token contract between identity (signer), the gateway and internal services (verifiers). */
export const ACCESS_TOKEN = {
  issuer: 'darman-identity',
  audience: 'darman-portal',
  algorithm: 'RS256',
  lifetimeSeconds: 600,
} as const;

export const AccessErrors = {
  tokenExpired: () =>
    new AppError('TOKEN_EXPIRED', 401, {
      en: 'The access token has expired; refresh it.',
      fa: 'نشست شما منقضی شده است؛ دوباره وارد شوید.',
    }),
  tokenInvalid: () => CommonErrors.unauthorized(),
  sessionRevoked: () =>
    new AppError('SESSION_REVOKED', 401, {
      en: 'This session has ended (logout or a password change); log in again.',
      fa: 'این نشست پایان یافته است (خروج یا تغییر رمز)؛ دوباره وارد شوید.',
    }),
};

/** Checks an access token and says whose it is; throws TOKEN_EXPIRED or UNAUTHORIZED. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<Caller>;
}

export const ACCESS_TOKEN_VERIFIER = Symbol('ACCESS_TOKEN_VERIFIER');

type KeySource = Parameters<typeof jwtVerify>[1];

/** Verifies RS256 access tokens against a key source (identity's JWKS, or identity's own keys). */
export class JwtAccessTokenVerifier implements AccessTokenVerifier {
  private readonly verified: VerifiedTokens;

  /**
   * `now` is the clock of both the expiry check and the remembered tokens;
   * `revoked`, when given, refuses every token of a session that has ended.
   */
  constructor(
    private readonly keys: KeySource,
    private readonly now: () => number = Date.now,
    private readonly revoked?: RevokedSessions,
  ) {
    this.verified = new VerifiedTokens(10_000, now);
  }

  async verify(token: string): Promise<Caller> {
    const caller = this.verified.get(token) ?? (await this.verifySignature(token));
    if (this.revoked?.has(caller.sessionId)) throw AccessErrors.sessionRevoked();
    return caller;
  }

  private async verifySignature(token: string): Promise<Caller> {
    try {
      const { payload } = await jwtVerify(token, this.keys as never, {
        algorithms: [ACCESS_TOKEN.algorithm],
        issuer: ACCESS_TOKEN.issuer,
        audience: ACCESS_TOKEN.audience,
        requiredClaims: ['sub', 'exp', 'mt', 'sid'],
        currentDate: new Date(this.now()),
      });
      const membershipType = payload['mt'];
      const sessionId = payload['sid'];
      if (
        typeof payload.sub !== 'string' ||
        typeof sessionId !== 'string' ||
        !MEMBERSHIP_TYPES.includes(membershipType as MembershipType)
      ) {
        throw AccessErrors.tokenInvalid();
      }
      const caller: Caller = { nationalCode: payload.sub, membershipType: membershipType as MembershipType, sessionId };
      this.verified.set(token, caller, payload.exp!);
      return caller;
    } catch (error) {
      throw verificationFailure(error, AccessErrors.tokenExpired);
    }
  }

  /** For internal services: keys fetched (and cached) from identity's `/auth/jwks`. */
  static fromJwksUrl(url: string, revoked?: RevokedSessions): JwtAccessTokenVerifier {
    return new JwtAccessTokenVerifier(remoteKeySet(url), Date.now, revoked);
  }
}

interface RequestWithCaller {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}

/**
 * Guards an internal route: the gateway relays the member's access token as
 * `Authorization: Bearer`, and the owning service verifies it itself, so an
 * internal API never trusts an unsigned claim of who is asking.
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(@Inject(ACCESS_TOKEN_VERIFIER) private readonly verifier: AccessTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw AccessErrors.tokenInvalid();
    request.caller = await this.verifier.verify(token);
    return true;
  }
}

/** The verified caller of a route guarded by CallerGuard. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw AccessErrors.tokenInvalid();
  return caller;
});
