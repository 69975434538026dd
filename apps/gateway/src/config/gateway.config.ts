import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Min } from 'class-validator';
import { KafkaConfig } from '@darman/platform';

const HTTP_URL = /^https?:\/\/[^\s/]+(:\d+)?\/?$/;
const toNumber = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));

/** Kafka: the gateway reads `portal.sessions.v1` (revoked sessions) and nothing else. */
export class GatewayConfig extends KafkaConfig {
  @Matches(HTTP_URL, { message: 'must be an http(s) base URL' })
  IDENTITY_URL = 'http://127.0.0.1:3001';

  @Matches(HTTP_URL, { message: 'must be an http(s) base URL' })
  CLAIMS_URL = 'http://127.0.0.1:3002';

  @Matches(HTTP_URL, { message: 'must be an http(s) base URL' })
  REFERRALS_URL = 'http://127.0.0.1:3003';

  @Matches(HTTP_URL, { message: 'must be an http(s) base URL' })
  PROVIDERS_URL = 'http://127.0.0.1:3004';

  /** Requests per client IP per window (all routes but health and metrics). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Requests per client IP per window to login, activation and password-reset routes (DOMAIN.md: per-IP limits). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 30;

  /** Timeout of one call to an internal service. */
  @Transform(toNumber)
  @IsInt()
  @Min(100)
  UPSTREAM_TIMEOUT_MS = 5_000;

  /**
   * Networks (CIDRs, comma-separated) whose clients may read `/metrics` and the
   * detailed `/health` (consumer groups, outbox backlogs): operators and
   * scrapers. Anyone else gets 404. `/health/live` and `/health/ready` stay open.
   */
  @Matches(/^[0-9a-fA-F.:]+\/\d{1,3}(,[0-9a-fA-F.:]+\/\d{1,3})*$/, { message: 'must be CIDRs, comma-separated' })
  OPS_NETWORKS = '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16';

  /** The built member portal (`npm run build` writes it), served at `/`; relative to the working directory. */
  @IsString()
  PORTAL_DIR = 'dist/portal';
}
