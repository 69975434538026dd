import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsDateTimeWithOffset, IsNationalCode } from '../validators.js';

/** What a letter is for (API.md); the lead time depends on it (DOMAIN.md). */
export const REFERRAL_CATEGORIES = ['HOSPITALIZATION', 'SURGERY', 'PARACLINICAL', 'OTHER'] as const;
export type ReferralCategory = (typeof REFERRAL_CATEGORIES)[number];

export class ReferralExamRequiredData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsDateTimeWithOffset() examAt!: string;
  @IsString() @Length(1, 500) examPlace!: string;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

/** Kinds of referral documents (EVENTS.md), the same list for what the unit asks for and what a member attaches. */
export const DOCUMENT_KINDS = ['PRESCRIPTION', 'NATIONAL_CARD', 'MEDICAL_REPORT', 'IMAGING', 'OTHER'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export class RequestedDocument {
  @IsIn(DOCUMENT_KINDS) kind!: DocumentKind;
  @IsString() @Length(1, 500) description!: string;
}

/** The unit asks for more documents; the request waits for them ("pended"). */
export class ReferralDocumentsRequestedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => RequestedDocument)
  documents!: RequestedDocument[];
  @IsOptional() @IsCalendarDate() dueBy?: string;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

export class ReferralApprovedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsString() @Length(1, 64) letterNumber!: string;
  @IsCalendarDate() validUntil!: string;
  /** Default: the day of the decision. */
  @IsOptional() @IsCalendarDate() validFrom?: string;
  /** When the unit approves another centre than the one asked for. */
  @IsOptional() @IsString() @Length(1, 32) approvedProviderId?: string;
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

export class ReferralRejectedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsString() @Length(1, 2000) reason!: string;
  @IsOptional() @IsString() @Length(1, 64) reasonCode?: string;
}

export class ReferralAttachmentRef {
  @IsString() @Length(1, 64) id!: string;
  @IsIn(DOCUMENT_KINDS) kind!: DocumentKind;
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
  @IsIn(REFERRAL_CATEGORIES) serviceCategory!: ReferralCategory;
  @IsBoolean() examRequired!: boolean;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ReferralAttachmentRef) attachments!: ReferralAttachmentRef[];
}

/** Files the member added to a request (only the new ones). */
export class ReferralDocumentsAddedData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ReferralAttachmentRef)
  attachments!: ReferralAttachmentRef[];
}

export class ReferralCancelledData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsString() @Length(1, 500) reason!: string;
}

/** An approved letter that was not used by its last valid day (Tehran time). */
export class ReferralExpiredData {
  @IsString() @Length(1, 64) trackingCode!: string;
  @IsCalendarDate() validUntil!: string;
}
