import { RateLimitModule } from '@darman/platform/http/rate-limit.js';

/** The gateway's per-IP limits: every route (RATE_LIMIT_PER_MINUTE) and the credential routes (AUTH_RATE_LIMIT_PER_MINUTE). */
export const GatewayRateLimitModule = RateLimitModule.forRoot({
  prefix: '/api/v1',
  perIp: 'RATE_LIMIT_PER_MINUTE',
  credentials: 'AUTH_RATE_LIMIT_PER_MINUTE',
});
