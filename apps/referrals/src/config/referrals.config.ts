import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AbsentInProduction, ServiceConfig } from '@darman/platform';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class ReferralsConfig extends ServiceConfig {
  /** Identity's public keys: the referrals service verifies member and service-client tokens itself. */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  IDENTITY_JWKS_URL = 'http://127.0.0.1:3001/auth/jwks';

  /** Reasons (comma-separated terms, matched after Persian normalisation) that need the trusted doctor's exam. */
  @Transform(toList)
  @IsString({ each: true })
  EXAM_REQUIRED_REASONS: string[] = ['رینوپلاستی', 'جراحی بینی', 'rhinoplasty'];

  /** Service categories that always need the trusted doctor's exam (none by default). */
  @Transform(toList)
  @IsString({ each: true })
  EXAM_REQUIRED_CATEGORIES: string[] = [];

  @Transform(({ value }) => (value === undefined ? undefined : value === 'true' || value === true))
  @IsBoolean()
  THURSDAY_IS_BUSINESS_DAY = false;

  /** Directory of `<jalali year>.json` lunar-holiday files. */
  @IsString()
  HOLIDAYS_DIR = 'config/holidays';

  /** Milliseconds between runs of the expiry job (one indexed query when nothing is due). */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  EXPIRY_INTERVAL_MS = 15_000;

  /**
   * Outside production, `PUT /internal/test/clock` may move this service's clock
   * (e2e tests of expiry); the variable is refused at start in production.
   */
  @IsOptional()
  @AbsentInProduction()
  @Transform(({ value }) => (value === undefined ? undefined : value === 'true' || value === true))
  @IsBoolean()
  TEST_CLOCK?: boolean;
}
