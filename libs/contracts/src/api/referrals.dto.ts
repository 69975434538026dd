import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { DOCUMENT_KINDS, REFERRAL_CATEGORIES, type DocumentKind, type ReferralCategory } from '../events/referrals.events.js';
import { IsCalendarDate, IsNationalCode, NormalizeNationalCode } from '../validators.js';
import { AsciiDigits, PageQueryDto } from './common.dto.js';

export const REFERRAL_STATUS_VALUES = [
  'SUBMITTED',
  'DOCUMENTS_REQUESTED',
  'EXAM_REQUIRED',
  'APPROVED',
  'REJECTED',
  'CANCELLED',
  'EXPIRED',
] as const;
/** DOMAIN.md's states of a referral request. */
export type ReferralStatus = (typeof REFERRAL_STATUS_VALUES)[number];

export class ReferralsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'a person the caller may see; default: the caller' })
  @IsOptional()
  @NormalizeNationalCode()
  @IsNationalCode()
  nationalCode?: string;

  @ApiPropertyOptional({ enum: REFERRAL_STATUS_VALUES })
  @IsOptional()
  @IsIn(REFERRAL_STATUS_VALUES)
  status?: (typeof REFERRAL_STATUS_VALUES)[number];
}

/** The text fields of `POST /referrals` (multipart); the files are `prescription`, `nationalCard` and `other`. */
export class CreateReferralDto {
  @ApiProperty({ example: '0499370910' }) @NormalizeNationalCode() @IsNationalCode() patientNationalCode!: string;
  @ApiProperty({ example: '1722169' }) @AsciiDigits() @IsString() @Length(1, 32) contractNumber!: string;
  @ApiProperty({ example: '1001' }) @AsciiDigits() @IsString() @Length(1, 32) providerId!: string;
  @ApiProperty({ example: '2026-01-12' }) @AsciiDigits() @IsCalendarDate() admissionDate!: string;
  @ApiProperty({ example: 'دکتر رضایی' }) @IsString() @Length(1, 200) doctorName!: string;
  @ApiProperty({ example: 'جراحی آپاندیس' }) @IsString() @Length(1, 500) reason!: string;
  @ApiProperty({ enum: REFERRAL_CATEGORIES }) @IsIn(REFERRAL_CATEGORIES) serviceCategory!: ReferralCategory;
}

export class CancelReferralDto {
  @ApiProperty({ example: 'منصرف شدم' }) @IsString() @Length(1, 500) reason!: string;
}

export class VerifyReferralQueryDto {
  @ApiProperty({ example: '7K3M9QX2VD' }) @IsString() @MaxLength(20) trackingCode!: string;
  @ApiProperty({ example: '0499370910' }) @NormalizeNationalCode() @IsNationalCode() nationalCode!: string;
}

export class ReferralWarningDto {
  @ApiProperty({ enum: ['LEAD_TIME_SHORT', 'ONLINE_REFERRAL_AVAILABLE'] }) code!: string;
  @ApiProperty() message!: string;
}

export class ReferralCreatedDto {
  @ApiProperty({ example: '7K3M9QX2VD' }) trackingCode!: string;
  @ApiProperty({ enum: REFERRAL_STATUS_VALUES }) status!: string;
  @ApiProperty({ type: [ReferralWarningDto] }) warnings!: ReferralWarningDto[];
}

export class ReferralListItemDto {
  @ApiProperty({ example: '7K3M9QX2VD' }) trackingCode!: string;
  @ApiProperty({ example: '2026-01-08T09:30:00.000Z' }) requestedAt!: string;
  @ApiProperty({ example: '1404/10/18' }) requestedAtJalali!: string;
  @ApiProperty({ example: '2026-01-12' }) admissionDate!: string;
  @ApiProperty({ example: '1404/10/22' }) admissionDateJalali!: string;
  @ApiProperty() doctorName!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() providerName!: string;
  @ApiProperty({ enum: REFERRAL_STATUS_VALUES }) status!: string;
}

export class ReferralPageDto {
  @ApiProperty({ type: [ReferralListItemDto] }) items!: ReferralListItemDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class ReferralTimelineEntryDto {
  @ApiProperty({ enum: REFERRAL_STATUS_VALUES }) status!: string;
  @ApiProperty({ description: 'date-time' }) at!: string;
  @ApiProperty({ example: '1404/10/18' }) atJalali!: string;
  @ApiProperty({ enum: ['MEMBER', 'REFERRAL_UNIT', 'SYSTEM'] }) by!: string;
  @ApiPropertyOptional() note?: string;
}

export class RequestedDocumentDto {
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind!: DocumentKind;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'a file of this kind has been added since the unit asked' }) received!: boolean;
}

export class ReferralAttachmentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind!: DocumentKind;
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'application/pdf'] }) contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'SHA-256 of the stored bytes, hex' }) sha256!: string;
  @ApiProperty({ description: 'the sanitised original file name, a label only' }) label!: string;
}

export class ExamAppointmentDto {
  @ApiProperty() at!: string;
  @ApiProperty() atJalali!: string;
  @ApiProperty() place!: string;
}

export class ReferralDetailDto extends ReferralListItemDto {
  @ApiProperty() patientNationalCode!: string;
  @ApiProperty() contractNumber!: string;
  @ApiProperty() providerId!: string;
  @ApiProperty({ enum: REFERRAL_CATEGORIES }) serviceCategory!: string;
  @ApiProperty() examRequired!: boolean;
  @ApiProperty({ type: [ReferralTimelineEntryDto] }) timeline!: ReferralTimelineEntryDto[];
  @ApiProperty({ type: [RequestedDocumentDto] }) requestedDocuments!: RequestedDocumentDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) documentsDueBy!: string | null;
  @ApiPropertyOptional({ type: ExamAppointmentDto, nullable: true }) exam!: ExamAppointmentDto | null;
  @ApiPropertyOptional({ type: String, nullable: true }) letterNumber!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) validFrom!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) validFromJalali!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) validUntil!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) validUntilJalali!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'when the unit approved another centre' })
  approvedProviderId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) approvedProviderName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) decisionNote!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) rejectionReason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty({ type: [ReferralAttachmentDto] }) attachments!: ReferralAttachmentDto[];
}

export class ReferralVerificationDto {
  @ApiProperty() valid!: boolean;
  @ApiPropertyOptional() providerName?: string;
  @ApiPropertyOptional() validUntil?: string;
  @ApiPropertyOptional() validUntilJalali?: string;
}
