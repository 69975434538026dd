import { ACCESS_TOKEN_VERIFIER, CallerGuard, JwtAccessTokenVerifier, RevokedSessions, type AccessTokenVerifier } from '@darman/access';
import { APP_CONFIG } from '@darman/platform';
import type { GatewayConfig } from '../config/gateway.config.js';

/**
 * The gateway's verifier of member tokens: the one of `libs/access` that every
 * service uses too (RS256 only, identity's keys from `/auth/jwks`, parsed once
 * and refetched for an unknown `kid`; a verified token remembered until its
 * `exp`; a token of an ended session refused from `portal.sessions.v1`), so a
 * forged, expired or revoked token stops here, and the owning service
 * still verifies the relayed token itself.
 */
export const gatewayTokenVerifier = {
  provide: ACCESS_TOKEN_VERIFIER,
  inject: [APP_CONFIG, RevokedSessions],
  useFactory: (config: GatewayConfig, revoked: RevokedSessions): AccessTokenVerifier =>
    JwtAccessTokenVerifier.fromJwksUrl(new URL('/auth/jwks', config.IDENTITY_URL).toString(), revoked),
};

/**
 * Member routes: 401 TOKEN_EXPIRED for an expired token, 401 UNAUTHORIZED for a missing or invalid one, 503 when
 * identity's keys cannot be fetched. The services' own guard, over the verifier above.
 */
export { CallerGuard as MemberAuthGuard };
