import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { AbsentInProduction, ServiceConfig } from '@darman/platform';

const toNumber = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));

export class IdentityConfig extends ServiceConfig {
  /**
   * Requests per client IP per minute to login, activation and password reset, enforced here as well as at the
   * gateway (which relays the client's address; TRUST_PROXY says whose X-Forwarded-For is believed), so reaching
   * identity's port directly does not lift the limit.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 30;

  /** Outside production, this captcha answer is accepted (automated clients); refused at start in production. */
  @IsOptional()
  @AbsentInProduction()
  @IsString()
  @Length(1, 16)
  CAPTCHA_TEST_ANSWER?: string;

  /**
   * Key of the HMAC that one-time codes are stored under: a 6-digit code
   * hashed without a secret could be brute-forced from a database copy.
   * Required in production; a fixed development key otherwise.
   */
  @ValidateIf((c: IdentityConfig) => c.NODE_ENV === 'production' || c.OTP_HASH_KEY !== undefined)
  @IsString()
  @Length(32, 512)
  OTP_HASH_KEY?: string;

  /** Access-token lifetime (DOMAIN.md: 10 minutes). */
  @Transform(toNumber)
  @IsInt()
  @Min(30)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 600;

  /**
   * Insurer systems allowed the client-credentials grant (`POST /auth/token`):
   * `clientId:sha256-of-secret-hex:scope+scope`, comma-separated. Only the
   * secret's hash is configured, so the variable itself opens nothing.
   */
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}:[0-9a-f]{64}:[a-z.:+]+(,[a-z0-9-]{1,64}:[0-9a-f]{64}:[a-z.:+]+)*$/, {
    message: 'must be clientId:sha256hex:scope[+scope] items, comma-separated',
  })
  SERVICE_CLIENTS?: string;
}

export const DEVELOPMENT_OTP_HASH_KEY = 'darman-development-otp-key-not-for-production';
