import { IsDefined, IsIn, IsOptional, IsString, IsUrl, Length, Matches } from 'class-validator';
import {
  IsCalendarDate,
  IsDateTimeWithOffset,
  IsNationalCode,
  IsOnOrAfter,
  NormalizeMobile,
  NormalizeNationalCode,
} from '../validators.js';

export const CONTRACT_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const MEMBERSHIP_TYPES = ['INSURANCE_COMPANY', 'FUND', 'GROUP'] as const;
export type MembershipType = (typeof MEMBERSHIP_TYPES)[number];
export const RELATIONS = ['MAIN', 'SPOUSE', 'CHILD', 'PARENT', 'OTHER'] as const;
export type Relation = (typeof RELATIONS)[number];

const MOBILE = /^09\d{9}$/;

export class ContractUpsertedData {
  @IsString() @Length(1, 32) contractNumber!: string;
  @IsString() @Length(1, 200) title!: string;
  @IsString() @Length(1, 200) policyholderName!: string;
  @IsString() @Length(1, 32) insurerCode!: string;
  @IsString() @Length(1, 200) insurerName!: string;
  @IsCalendarDate() startDate!: string;
  @IsCalendarDate() @IsOnOrAfter('startDate') endDate!: string;
  @IsIn(CONTRACT_STATUSES) status!: ContractStatus;
}

export class MemberEnrolledData {
  @NormalizeNationalCode() @IsNationalCode() nationalCode!: string;
  @IsString() @Length(1, 100) firstName!: string;
  @IsString() @Length(1, 100) lastName!: string;
  @IsCalendarDate() birthDate!: string;
  @NormalizeMobile() @Matches(MOBILE, { message: 'mobile must be 09 followed by 9 digits' }) mobile!: string;
  @IsString() @Length(1, 32) contractNumber!: string;
  @IsIn(MEMBERSHIP_TYPES) membershipType!: MembershipType;
  @IsIn(RELATIONS) relation!: Relation;
  @NormalizeNationalCode() @IsNationalCode() mainMemberNationalCode!: string;
  @IsCalendarDate() coverageStart!: string;
  @IsCalendarDate() @IsOnOrAfter('coverageStart') coverageEnd!: string;

  invariantViolations(): string[] {
    const isMain = this.relation === 'MAIN';
    const selfMain = this.mainMemberNationalCode === this.nationalCode;
    if (isMain && !selfMain) return ['mainMemberNationalCode must equal nationalCode when relation is MAIN'];
    if (!isMain && selfMain) return ['a dependent cannot be their own main member'];
    return [];
  }
}

export class MemberUpdatedData {
  @NormalizeNationalCode() @IsNationalCode() nationalCode!: string;
  @IsString() @Length(1, 32) contractNumber!: string;
  @IsOptional() @IsString() @Length(1, 100) firstName?: string;
  @IsOptional() @IsString() @Length(1, 100) lastName?: string;
  @IsOptional() @NormalizeMobile() @Matches(MOBILE, { message: 'mobile must be 09 followed by 9 digits' }) mobile?: string;
  @IsOptional() @IsCalendarDate() coverageEnd?: string;
}

export class MemberLeftData {
  @NormalizeNationalCode() @IsNationalCode() nationalCode!: string;
  @IsString() @Length(1, 32) contractNumber!: string;
  @IsCalendarDate() leftOn!: string;
}

export class InsurerUpsertedData {
  @IsString() @Length(1, 32) insurerCode!: string;
  @IsString() @Length(1, 200) name!: string;
  @IsDefined() @IsUrl({ require_tld: false }) logoUrl!: string;
}

export class AnnouncementPublishedData {
  @IsString() @Length(1, 64) announcementId!: string;
  @IsString() @Length(1, 32) insurerCode!: string;
  @IsString() @Length(1, 300) title!: string;
  @IsString() @Length(1, 20_000) body!: string;
  @IsDateTimeWithOffset() publishedAt!: string;
  @IsOptional() @IsDateTimeWithOffset() expiresAt?: string;
}

export class MemberActivatedData {
  @IsNationalCode() nationalCode!: string;
  @IsIn(MEMBERSHIP_TYPES) membershipType!: MembershipType;
  @IsDateTimeWithOffset() activatedAt!: string;
}

export class MemberContactChangedData {
  @IsNationalCode() nationalCode!: string;
  @IsOptional() @Matches(MOBILE) mobile?: string;
  @IsOptional() @IsString() @Length(3, 254) email?: string;
  @IsOptional() @IsString() @Length(1, 500) address?: string;
  @IsOptional() @Matches(/^IR\d{24}$/) iban?: string;
}

export const NOTIFICATION_TEMPLATES = ['ACTIVATION_CODE', 'PASSWORD_RESET_CODE', 'REFERRAL_STATUS'] as const;

export class NotificationRequestedData {
  @IsIn(['SMS']) channel!: 'SMS';
  @Matches(MOBILE) to!: string;
  @IsIn(NOTIFICATION_TEMPLATES) template!: (typeof NOTIFICATION_TEMPLATES)[number];
  @IsDefined() params!: Record<string, unknown>;
}
