import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

export const PROVIDER_TYPES = [
  'PRIVATE_HOSPITAL',
  'PUBLIC_HOSPITAL',
  'CHARITY_HOSPITAL',
  'CLINIC',
  'LAB',
  'IMAGING',
  'PHARMACY',
  'OPTICS',
  'DENTAL',
  'PHYSICIAN',
  'OTHER',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export class GeoLocation {
  @IsNumber() @Min(-90) @Max(90) lat!: number;
  @IsNumber() @Min(-180) @Max(180) lng!: number;
}

export class ProviderUpsertedData {
  @IsString() @Length(1, 32) providerId!: string;
  @IsString() @Length(1, 300) name!: string;
  @IsIn(PROVIDER_TYPES) type!: ProviderType;
  @IsOptional() @IsString() @Length(1, 100) province?: string;
  @IsString() @Length(1, 100) city!: string;
  @IsString() @Length(1, 500) address!: string;
  @IsOptional() @IsString() @Length(1, 64) phone?: string;
  @IsOptional() @IsString() @Length(1, 64) fax?: string;
  /** Served to members as a link: http(s) only, never `javascript:` or `data:`. */
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @Matches(/^https?:\/\/[^\s<>"']+$/i, { message: 'website must be an http(s) URL' })
  website?: string;
  @IsBoolean() issuesReferral!: boolean;
  @IsBoolean() onlineReferral!: boolean;
  @IsBoolean() contracted!: boolean;
  @IsOptional() @ValidateNested() @Type(() => GeoLocation) location?: GeoLocation;
}

export class ProviderRemovedData {
  @IsString() @Length(1, 32) providerId!: string;
}
