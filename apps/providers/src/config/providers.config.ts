import { IsOptional, IsString, Length } from 'class-validator';
import { ServiceConfig } from '@darman/platform';

export class ProvidersConfig extends ServiceConfig {
  /** The referral unit members call when a centre has no online referral (the seed: Iran Assistance / SOS). */
  @IsString()
  @Length(1, 200)
  REFERRAL_UNIT_NAME_FA = 'واحد معرفی‌نامه کمک‌رسان ایران (SOS)';

  @IsString()
  @Length(1, 200)
  REFERRAL_UNIT_NAME_EN = 'the referral unit of Iran Assistance (SOS)';

  @IsString()
  @Length(3, 32)
  REFERRAL_UNIT_PHONE = '021-88648400';

  @IsOptional()
  @IsString()
  @Length(1, 16)
  REFERRAL_UNIT_EXTENSION?: string = '101';
}
