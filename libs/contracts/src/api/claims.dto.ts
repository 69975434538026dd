import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { CLAIM_KINDS } from '../events/claims.events.js';
import { IsNationalCode, NormalizeNationalCode } from '../validators.js';
import { PageQueryDto } from './common.dto.js';

export const CLAIM_STATUS_VALUES = ['REGISTERED', 'CALCULATED', 'SENT_TO_BANK', 'PAID', 'REJECTED'] as const;

export class ClaimsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "default: the caller's active contract" })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  contractNumber?: string;

  @ApiPropertyOptional({ description: 'a person the caller may see; default: the caller' })
  @IsOptional()
  @NormalizeNationalCode()
  @IsNationalCode()
  nationalCode?: string;

  @ApiPropertyOptional({ enum: CLAIM_STATUS_VALUES })
  @IsOptional()
  @IsIn(CLAIM_STATUS_VALUES)
  status?: (typeof CLAIM_STATUS_VALUES)[number];

  @ApiPropertyOptional({ description: 'reason, claim id, return letter or bank reference' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ClaimListItemDto {
  @ApiProperty({ example: '15342268' }) claimId!: string;
  @ApiProperty({ example: '1722169' }) contractNumber!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) contractTitle!: string | null;
  @ApiProperty({ example: '2019-10-18' }) admissionDate!: string;
  @ApiProperty({ example: '1398/07/26' }) admissionDateJalali!: string;
  @ApiProperty({ example: 'آزمایش' }) reason!: string;
  @ApiProperty({ enum: CLAIM_KINDS }) kind!: (typeof CLAIM_KINDS)[number];
  @ApiProperty({ enum: CLAIM_STATUS_VALUES }) status!: (typeof CLAIM_STATUS_VALUES)[number];
  @ApiProperty({ example: 3146000 }) requestedAmount!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 2831400 }) payableAmount!: number | null;
  @ApiProperty() patientNationalCode!: string;
}

export class ClaimPageDto {
  @ApiProperty({ type: [ClaimListItemDto] }) items!: ClaimListItemDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class TimelineEntryDto {
  @ApiProperty({ enum: CLAIM_STATUS_VALUES }) status!: string;
  @ApiProperty({ description: 'date or date-time' }) at!: string;
  @ApiProperty({ example: '1398/08/12' }) atJalali!: string;
}

export class DeductionLineDto {
  @ApiProperty() description!: string;
  @ApiProperty() amount!: number;
}

export class PaymentEstimateDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'issuedAt + PAYMENT_SLA_BUSINESS_DAYS business days' }) dueBy!:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) dueByJalali!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'first PAYA cycle at or after sentToBankAt on a business day' })
  expectedDepositAt!: string | null;
}

export class ClaimDetailDto extends ClaimListItemDto {
  @ApiProperty() registeredAt!: string;
  @ApiProperty() registeredAtJalali!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) issuedAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) issuedAtJalali!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) sentToBankAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) sentToBankAtJalali!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) paidAt!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) paidAtJalali!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) deductionsAmount!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) coveredAmount!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) franchiseAmount!: number | null;
  @ApiPropertyOptional({ type: [DeductionLineDto], nullable: true }) deductionLines!: DeductionLineDto[] | null;
  @ApiPropertyOptional({ type: String, nullable: true }) returnLetterNumber!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) bankReference!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) payeeIbanMasked!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) rejectionReason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) serviceCategory!: string | null;
  @ApiProperty({ type: [TimelineEntryDto] }) timeline!: TimelineEntryDto[];
  @ApiPropertyOptional({ type: PaymentEstimateDto, nullable: true, description: 'REIMBURSEMENT claims only' })
  payment!: PaymentEstimateDto | null;
}

export class ClaimsSummaryDto {
  @ApiProperty({ description: 'claims not yet paid or rejected, of the persons the caller may see under active contracts' })
  inProgress!: number;
}
