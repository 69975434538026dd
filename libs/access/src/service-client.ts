import { createParamDecorator, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, CommonErrors } from '@darman/platform';
import { jwtVerify } from 'jose';
import { bearerToken, remoteKeySet, verificationFailure } from './jose-keys.js';

/**
 * Service-client tokens (OAuth 2.0 client credentials): an insurer system
 * exchanges its client id and secret at identity's `POST /auth/token` for a
 * short-lived RS256 token signed with the same keys as member tokens but for
 * another audience, so a member token never opens an internal route and a
 * service token never opens a member's.
 */
export const SERVICE_TOKEN = {
  issuer: 'darman-identity',
  audience: 'darman-internal',
  algorithm: 'RS256',
  lifetimeSeconds: 300,
} as const;

/** Scopes a service client may be granted. */
export const SERVICE_SCOPES = ['referrals.attachments:read'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

export interface ServiceCaller {
  clientId: string;
  scopes: string[];
}

export const SERVICE_TOKEN_VERIFIER = Symbol('SERVICE_TOKEN_VERIFIER');

type KeySource = Parameters<typeof jwtVerify>[1];

export const ServiceClientErrors = {
  insufficientScope: (scope: string) =>
    new AppError('INSUFFICIENT_SCOPE', 403, { en: `The client token lacks the scope ${scope}.`, fa: 'دسترسی این سامانه کافی نیست.' }),
};

/** Verifies service-client tokens against identity's keys. */
export class ServiceTokenVerifier {
  constructor(
    private readonly keys: KeySource,
    private readonly now: () => number = Date.now,
  ) {}

  static fromJwksUrl(url: string): ServiceTokenVerifier {
    return new ServiceTokenVerifier(remoteKeySet(url));
  }

  async verify(token: string): Promise<ServiceCaller> {
    try {
      const { payload } = await jwtVerify(token, this.keys as never, {
        algorithms: [SERVICE_TOKEN.algorithm],
        issuer: SERVICE_TOKEN.issuer,
        audience: SERVICE_TOKEN.audience,
        requiredClaims: ['sub', 'exp', 'scope'],
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string' || !payload.sub.startsWith('client:') || typeof payload['scope'] !== 'string') {
        throw CommonErrors.unauthorized();
      }
      return { clientId: payload.sub.slice('client:'.length), scopes: payload['scope'].split(' ').filter(Boolean) };
    } catch (error) {
      throw verificationFailure(error, CommonErrors.unauthorized);
    }
  }
}

const SCOPE_KEY = 'darman:service-scope';

/** The scope a route guarded by ServiceClientGuard needs. */
export const RequireScope = (scope: ServiceScope) => SetMetadata(SCOPE_KEY, scope);

interface RequestWithServiceCaller {
  headers: Record<string, string | string[] | undefined>;
  serviceCaller?: ServiceCaller;
}

/** Guards a route for insurer systems: a valid service-client token with the route's scope (401, else 403). */
@Injectable()
export class ServiceClientGuard implements CanActivate {
  constructor(
    @Inject(SERVICE_TOKEN_VERIFIER) private readonly verifier: ServiceTokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithServiceCaller>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw CommonErrors.unauthorized();
    const caller = await this.verifier.verify(token);
    const scope = this.reflector.get<string | undefined>(SCOPE_KEY, context.getHandler());
    if (!scope || !caller.scopes.includes(scope)) throw ServiceClientErrors.insufficientScope(scope ?? '(none)');
    request.serviceCaller = caller;
    return true;
  }
}

/** The verified service client of a route guarded by ServiceClientGuard. */
export const CurrentServiceClient = createParamDecorator((_data: unknown, context: ExecutionContext): ServiceCaller => {
  const caller = context.switchToHttp().getRequest<RequestWithServiceCaller>().serviceCaller;
  if (!caller) throw CommonErrors.unauthorized();
  return caller;
});
