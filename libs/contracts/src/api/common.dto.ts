import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toAsciiDigits } from '@darman/persian';

/** Persian or Arabic-Indic digits in a numeric input become ASCII before validation. */
export const AsciiDigits = () => Transform(({ value }) => (typeof value === 'string' ? toAsciiDigits(value).trim() : value));

/** The last page a list serves: 10,000 pages of at most 100 rows; beyond it a number is refused, never rounded or overflowed. */
export const MAX_PAGE = 10_000;

/** `?page=1&pageSize=10` (API.md): pageSize 1–100, page 1–MAX_PAGE. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @AsciiDigits()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @AsciiDigits()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 10;
}

/** The list shape of API.md. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export class ErrorDetailDto {
  @ApiPropertyOptional() field?: string;
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

/** Every error answer: `{ statusCode, code, message, details }`. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'NATIONAL_CODE_INVALID' }) code!: string;
  @ApiProperty({ description: 'Persian with Accept-Language: fa, English otherwise' }) message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}
