import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ServiceConfig } from '@darman/platform';

const toNumber = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));

export class ClaimsConfig extends ServiceConfig {
  /** Identity's public keys: the claims service verifies the member's access token itself. */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  IDENTITY_JWKS_URL = 'http://127.0.0.1:3001/auth/jwks';

  /** DOMAIN.md: claims show as their events arrive; an insurer wanting the old nightly delay sets hours here. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(24 * 14)
  CLAIMS_VISIBILITY_DELAY_HOURS = 0;

  /** Business days between issue and payment (the seed: 15). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(120)
  PAYMENT_SLA_BUSINESS_DAYS = 15;

  /** PAYA clearing cycles, Tehran time, comma-separated (`HH:MM`). */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d(,([01]\d|2[0-3]):[0-5]\d)*$/, { message: 'must be HH:MM[,HH:MM…]' })
  PAYA_CYCLES = '15:45';

  @Transform(({ value }) => (value === undefined ? undefined : value === 'true' || value === true))
  @IsBoolean()
  THURSDAY_IS_BUSINESS_DAY = false;

  /** Directory of `<jalali year>.json` lunar-holiday files. */
  @IsString()
  HOLIDAYS_DIR = 'config/holidays';
}
