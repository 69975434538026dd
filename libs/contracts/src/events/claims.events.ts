import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsDateTimeWithOffset, IsNationalCode, MAX_MONEY, NormalizeNationalCode } from '../validators.js';

export const CLAIM_KINDS = ['REIMBURSEMENT', 'DIRECT'] as const;
export const SERVICE_CATEGORIES = [
  'HOSPITALIZATION',
  'SURGERY',
  'LAB',
  'IMAGING',
  'GLASSES',
  'DENTAL',
  'VISIT',
  'MEDICINE',
  'OTHER',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/** Money: integer rials, 0..10^15. */
function IsMoney(): PropertyDecorator {
  return (target, key) => {
    IsInt()(target, key);
    Min(0)(target, key);
    Max(MAX_MONEY)(target, key);
  };
}

export class ClaimRegisteredData {
  @IsString() @Length(1, 32) claimId!: string;
  @IsString() @Length(1, 32) contractNumber!: string;
  @NormalizeNationalCode() @IsNationalCode() patientNationalCode!: string;
  @NormalizeNationalCode() @IsNationalCode() mainMemberNationalCode!: string;
  @IsIn(CLAIM_KINDS) kind!: (typeof CLAIM_KINDS)[number];
  @IsString() @Length(1, 200) reason!: string;
  @IsOptional() @IsIn(SERVICE_CATEGORIES) serviceCategory?: ServiceCategory;
  @IsCalendarDate() admissionDate!: string;
  @IsCalendarDate() registeredAt!: string;
  @IsMoney() requestedAmount!: number;
  @IsOptional() @IsString() @Length(1, 32) providerId?: string;
  @IsOptional() @IsString() @Length(1, 64) referralTrackingCode?: string;
}

export class DeductionLine {
  @IsString() @Length(1, 300) description!: string;
  @IsMoney() amount!: number;
}

export class ClaimCalculatedData {
  @IsString() @Length(1, 32) claimId!: string;
  @IsMoney() deductionsAmount!: number;
  @IsMoney() coveredAmount!: number;
  @IsMoney() franchiseAmount!: number;
  @IsMoney() payableAmount!: number;
  @IsCalendarDate() issuedAt!: string;
  @IsOptional() @IsString() @Length(1, 64) returnLetterNumber?: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => DeductionLine) deductionLines?: DeductionLine[];

  /** Invariants that need no other event; covered = requested − deductions needs the registration. */
  invariantViolations(): string[] {
    const errors: string[] = [];
    if (this.payableAmount !== this.coveredAmount - this.franchiseAmount) {
      errors.push('payableAmount must equal coveredAmount - franchiseAmount');
    }
    if (this.deductionLines) {
      const sum = this.deductionLines.reduce((acc, line) => acc + line.amount, 0);
      if (sum !== this.deductionsAmount) errors.push('deductionLines must sum to deductionsAmount');
    }
    return errors;
  }
}

export class ClaimSentToBankData {
  @IsString() @Length(1, 32) claimId!: string;
  @IsDateTimeWithOffset() sentAt!: string;
  @IsMoney() amount!: number;
  @IsOptional() @IsString() @Length(1, 64) bankReference?: string;
  @IsOptional() @IsString() @Length(26, 34) payeeIban?: string;
}

export class ClaimRejectedData {
  @IsString() @Length(1, 32) claimId!: string;
  @IsCalendarDate() rejectedAt!: string;
  @IsString() @Length(1, 1000) reason!: string;
}

export class ClaimPaidData {
  @IsString() @Length(1, 32) claimId!: string;
  @IsDateTimeWithOffset() paidAt!: string;
  @IsOptional() @IsString() @Length(1, 64) traceNumber?: string;
}
