/** The services the gateway calls. */
export type InternalService = 'identity' | 'claims' | 'referrals' | 'providers';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route of a service's internal API (`:name` marks a path parameter). */
export interface InternalRoute<S extends InternalService = InternalService> {
  readonly service: S;
  readonly method: HttpMethod;
  readonly path: string;
}

const route = <S extends InternalService>(service: S, method: HttpMethod, path: string): InternalRoute<S> => ({ service, method, path });

/**
 * Every internal route the gateway calls, in one place: the gateway's clients
 * take only these, and a contract test (test/contract) checks that the owning
 * service's controllers serve each of them, so the gateway cannot call a
 * route that does not exist.
 */
export const InternalRoutes = {
  identity: {
    captcha: route('identity', 'GET', '/auth/captcha'),
    jwks: route('identity', 'GET', '/auth/jwks'),
    activationRequest: route('identity', 'POST', '/auth/activation/request'),
    activationConfirm: route('identity', 'POST', '/auth/activation/confirm'),
    login: route('identity', 'POST', '/auth/login'),
    refresh: route('identity', 'POST', '/auth/refresh'),
    logout: route('identity', 'POST', '/auth/logout'),
    passwordForgot: route('identity', 'POST', '/auth/password/forgot'),
    passwordReset: route('identity', 'POST', '/auth/password/reset'),
    profile: route('identity', 'GET', '/me'),
    updateProfile: route('identity', 'PATCH', '/me'),
    verifyMobile: route('identity', 'POST', '/me/mobile/verify'),
    changePassword: route('identity', 'PUT', '/me/password'),
    contracts: route('identity', 'GET', '/me/contracts'),
    members: route('identity', 'GET', '/me/contracts/:contractNumber/members'),
    home: route('identity', 'GET', '/home'),
    announcements: route('identity', 'GET', '/announcements'),
  },
  claims: {
    list: route('claims', 'GET', '/claims'),
    summary: route('claims', 'GET', '/claims/summary'),
    detail: route('claims', 'GET', '/claims/:claimId'),
  },
  providers: {
    search: route('providers', 'GET', '/providers'),
    facets: route('providers', 'GET', '/providers/facets'),
    detail: route('providers', 'GET', '/providers/:providerId'),
  },
  referrals: {
    list: route('referrals', 'GET', '/referrals'),
    create: route('referrals', 'POST', '/referrals'),
    openCount: route('referrals', 'GET', '/referrals/open-count'),
    verify: route('referrals', 'GET', '/referrals/verify'),
    detail: route('referrals', 'GET', '/referrals/:trackingCode'),
    addAttachments: route('referrals', 'POST', '/referrals/:trackingCode/attachments'),
    attachment: route('referrals', 'GET', '/referrals/:trackingCode/attachments/:attachmentId'),
    cancel: route('referrals', 'POST', '/referrals/:trackingCode/cancel'),
  },
} as const;

/** The route's path with its `:name` parameters filled in (URL-encoded); a missing parameter is a programming error. */
export function routePath(route: InternalRoute, params: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.method} ${route.path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}
