import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PROVIDER_TYPES, type ProviderType } from '../events/providers.events.js';
import { PageQueryDto } from './common.dto.js';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ProviderSearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'words of the name, city, address or phone, in any order; partial words match; Persian-normalised' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ example: 'فارس' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  province?: string;

  @ApiPropertyOptional({ example: 'شیراز' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string;

  @ApiPropertyOptional({ enum: PROVIDER_TYPES })
  @IsOptional()
  @IsIn(PROVIDER_TYPES)
  type?: ProviderType;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  onlineReferral?: boolean;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  issuesReferral?: boolean;
}

export class ProviderSummaryDto {
  @ApiProperty({ example: '1001' }) providerId!: string;
  @ApiProperty({ example: 'بیمارستان شفا' }) name!: string;
  @ApiProperty({ enum: PROVIDER_TYPES }) type!: ProviderType;
  @ApiPropertyOptional({ type: String, nullable: true }) province!: string | null;
  @ApiProperty() city!: string;
  @ApiProperty() address!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty() issuesReferral!: boolean;
  @ApiProperty() onlineReferral!: boolean;
  @ApiProperty() contracted!: boolean;
}

export class ProviderPageDto {
  @ApiProperty({ type: [ProviderSummaryDto] }) items!: ProviderSummaryDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class ReferralUnitDto {
  @ApiProperty({ example: 'واحد معرفی‌نامه کمک‌رسان ایران (SOS)' }) name!: string;
  @ApiProperty({ example: '021-88648400' }) phone!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '101' }) extension!: string | null;
}

export const REFERRAL_ACTIONS = ['GO_WITH_NATIONAL_CARD', 'REQUEST_LETTER_IN_ADVANCE', 'PAY_AND_CLAIM', 'NOT_CONTRACTED'] as const;

export class ReferralAdviceDto {
  @ApiProperty({ enum: REFERRAL_ACTIONS }) action!: (typeof REFERRAL_ACTIONS)[number];
  @ApiProperty() fa!: string;
  @ApiProperty() en!: string;
  @ApiPropertyOptional({ type: ReferralUnitDto, nullable: true }) referralUnit!: ReferralUnitDto | null;
}

export class GeoLocationDto {
  @ApiProperty() lat!: number;
  @ApiProperty() lng!: number;
}

export class ProviderDetailDto extends ProviderSummaryDto {
  @ApiPropertyOptional({ type: String, nullable: true }) fax!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) website!: string | null;
  @ApiPropertyOptional({ type: GeoLocationDto, nullable: true }) location!: GeoLocationDto | null;
  @ApiProperty({ type: ReferralAdviceDto }) referralAdvice!: ReferralAdviceDto;
}

export class FacetCountDto {
  @ApiProperty() value!: string;
  @ApiProperty() count!: number;
}

export class CityFacetDto extends FacetCountDto {
  @ApiPropertyOptional({ type: String, nullable: true }) province!: string | null;
}

export class ProviderFacetsDto {
  @ApiProperty({ type: [FacetCountDto] }) provinces!: FacetCountDto[];
  @ApiProperty({ type: [CityFacetDto] }) cities!: CityFacetDto[];
  @ApiProperty({ type: [FacetCountDto] }) types!: FacetCountDto[];
  @ApiProperty({ description: 'contracted providers in the directory' }) total!: number;
}
