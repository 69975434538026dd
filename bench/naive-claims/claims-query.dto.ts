import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export class ClaimsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 10;

  @IsOptional()
  @IsString()
  @Length(1, 32)
  contractNumber?: string;

  @IsOptional()
  @Matches(/^\d{10}$/)
  nationalCode?: string;

  @IsOptional()
  @IsIn(['REGISTERED', 'CALCULATED', 'SENT_TO_BANK', 'PAID', 'REJECTED'])
  status?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
