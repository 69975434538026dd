import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsDateTimeWithOffset, IsNationalCode } from '../validators.js';

export class ReferralExamRequiredData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsDateTimeWithOffset() examAt!: string;
  @IsString() @Length(1, 500) examPlace!: string;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

export class ReferralApprovedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsString() @Length(1, 64) letterNumber!: string;
  @IsCalendarDate() validUntil!: string;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

export class ReferralRejectedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsString() @Length(1, 2000) reason!: string;
}

export class ReferralAttachmentRef {
  @IsString() @Length(1, 64) id!: string;
  @IsIn(['PRESCRIPTION', 'NATIONAL_CARD', 'OTHER']) kind!: 'PRESCRIPTION' | 'NATIONAL_CARD' | 'OTHER';
  @IsString() @Length(1, 100) contentType!: string;
  @IsInt() @Min(0) size!: number;
  @Matches(/^[0-9a-f]{64}$/) sha256!: string;
}

export class ReferralRequestedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsNationalCode() patientNationalCode!: string;
  @IsNationalCode() mainMemberNationalCode!: string;
  @IsString() @Length(1, 32) contractNumber!: string;
  @IsString() @Length(1, 32) providerId!: string;
  @IsCalendarDate() admissionDate!: string;
  @IsString() @Length(1, 200) doctorName!: string;
  @IsString() @Length(1, 500) reason!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ReferralAttachmentRef) attachments!: ReferralAttachmentRef[];
}

export class ReferralCancelledData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsString() @Length(1, 500) reason!: string;
}
