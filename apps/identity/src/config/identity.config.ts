import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf, registerDecorator, type ValidationOptions } from 'class-validator';
import { ServiceConfig } from '@darman/platform';

const toNumber = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));

/** Refuses a variable when NODE_ENV is production (test-only switches). */
function AbsentInProduction(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'absentInProduction',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must not be set when NODE_ENV is production', ...options },
      validator: {
        validate: (value: unknown, args) => value === undefined || (args?.object as IdentityConfig | undefined)?.NODE_ENV !== 'production',
      },
    });
}

export class IdentityConfig extends ServiceConfig {
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
}

export const DEVELOPMENT_OTP_HASH_KEY = 'darman-development-otp-key-not-for-production';
