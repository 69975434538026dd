import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { normalizeSheba } from '@darman/persian';
import {
  MEMBERSHIP_TYPES,
  RELATIONS,
  CONTRACT_STATUSES,
  type MembershipType,
  type Relation,
  type ContractStatus,
} from '../events/members.events.js';
import { IsNationalCode, IsSheba, NormalizeMobile, NormalizeNationalCode } from '../validators.js';
import { AsciiDigits, PageQueryDto } from './common.dto.js';

const MOBILE = /^09\d{9}$/;
const MOBILE_MESSAGE = 'mobile must be 09 followed by 9 digits';

class NationalCodeField {
  @ApiProperty({ example: '0499370899', description: '10 digits; Persian and Arabic-Indic digits accepted' })
  @NormalizeNationalCode()
  @IsNationalCode()
  nationalCode!: string;

  @ApiProperty({ enum: MEMBERSHIP_TYPES, example: 'GROUP' })
  @IsIn(MEMBERSHIP_TYPES)
  membershipType!: MembershipType;
}

export class CaptchaChallengeDto {
  @ApiProperty({ format: 'uuid' }) captchaId!: string;
  @ApiProperty({ description: 'SVG image of the code; single use, expires in 2 minutes' }) svg!: string;
  @ApiProperty({ example: 120 }) expiresIn!: number;
}

/** Body of activation and password-reset requests: who, the mobile on record, and a captcha. */
export class CodeRequestDto extends NationalCodeField {
  @ApiProperty({ example: '09121234567', description: 'the mobile on record with the insurer' })
  @NormalizeMobile()
  @Matches(MOBILE, { message: MOBILE_MESSAGE })
  mobile!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  captchaId!: string;

  @ApiProperty({ example: 'x7k2q' })
  @AsciiDigits()
  @IsString()
  @Length(1, 16)
  captchaAnswer!: string;
}

export class ActivationConfirmDto extends NationalCodeField {
  @ApiProperty({ example: '123456', description: 'the 6-digit code sent by SMS' })
  @AsciiDigits()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: 'not equal to the national code' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ActivationResultDto {
  @ApiProperty() nationalCode!: string;
  @ApiProperty({ enum: MEMBERSHIP_TYPES }) membershipType!: MembershipType;
  @ApiProperty() activatedAt!: string;
}

export class LoginDto extends NationalCodeField {
  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  password!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  captchaId!: string;

  @ApiProperty()
  @AsciiDigits()
  @IsString()
  @Length(1, 16)
  captchaAnswer!: string;

  @ApiPropertyOptional({ default: false, description: 'true: the session lasts 30 days, otherwise 12 hours' })
  @IsOptional()
  @IsBoolean()
  rememberMe?: boolean;
}

export class TokenPairDto {
  @ApiProperty({ description: 'RS256 JWT; verify with /auth/jwks' }) accessToken!: string;
  @ApiProperty({ example: 600, description: 'seconds' }) expiresIn!: number;
  @ApiProperty({ description: 'opaque; spent on use' }) refreshToken!: string;
  @ApiProperty({ example: 43200, description: 'seconds' }) refreshExpiresIn!: number;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
}

export class RefreshTokenDto {
  @ApiProperty()
  @IsString()
  @Length(16, 256)
  refreshToken!: string;
}

export class PasswordResetDto extends NationalCodeField {
  @ApiProperty({ example: '123456' })
  @AsciiDigits()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}

export class MobileVerifyDto {
  @ApiProperty({ example: '09121234567', description: 'the new mobile; a code is sent to it' })
  @NormalizeMobile()
  @Matches(MOBILE, { message: MOBILE_MESSAGE })
  mobile!: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'member@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;

  @ApiPropertyOptional({ example: 'IR820540102680020817909002', description: 'Sheba; spaces and Persian digits accepted' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? normalizeSheba(value) : value))
  @IsSheba()
  iban?: string;

  @ApiPropertyOptional({ example: '09121234567', description: 'needs mobileCode, sent by POST /me/mobile/verify' })
  @IsOptional()
  @NormalizeMobile()
  @Matches(MOBILE, { message: MOBILE_MESSAGE })
  mobile?: string;

  @ApiPropertyOptional({ example: '123456' })
  @ValidateIf((o: UpdateProfileDto) => o.mobile !== undefined || o.mobileCode !== undefined)
  @AsciiDigits()
  @Matches(/^\d{6}$/, { message: 'mobileCode must be the 6-digit code sent to the new mobile' })
  mobileCode?: string;
}

export class InsurerDto {
  @ApiProperty({ example: 'ASMARI' }) code!: string;
  @ApiProperty({ example: 'بیمه آسماری' }) name!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) logoUrl!: string | null;
}

export class ProfileDto {
  @ApiProperty() nationalCode!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty() mobile!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) email!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) address!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'IR••••••••••••••••••••9002' }) ibanMasked!: string | null;
  @ApiProperty({ enum: MEMBERSHIP_TYPES }) membershipType!: MembershipType;
  @ApiPropertyOptional({ type: InsurerDto, nullable: true }) insurer!: InsurerDto | null;
}

export class ContractDto {
  @ApiProperty({ example: '1722169' }) contractNumber!: string;
  @ApiProperty() title!: string;
  @ApiProperty() policyholderName!: string;
  @ApiProperty() insurerName!: string;
  @ApiProperty({ example: '2019-03-21' }) startDate!: string;
  @ApiProperty({ example: '1398/01/01' }) startDateJalali!: string;
  @ApiProperty() endDate!: string;
  @ApiProperty() endDateJalali!: string;
  @ApiProperty({ enum: CONTRACT_STATUSES }) status!: ContractStatus;
  @ApiProperty({ description: 'active today for this member' }) active!: boolean;
}

export class MembersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'name or national code, Persian-normalised' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class PersonDto {
  @ApiProperty() nationalCode!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ enum: RELATIONS }) relation!: Relation;
  @ApiProperty() isMain!: boolean;
}

export class PersonPageDto {
  @ApiProperty({ type: [PersonDto] }) items!: PersonDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class AnnouncementDto {
  @ApiProperty() announcementId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ example: '1398/08/12' }) publishedAtJalali!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) expiresAt!: string | null;
}

export class AnnouncementPageDto {
  @ApiProperty({ type: [AnnouncementDto] }) items!: AnnouncementDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class HomeCountsDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'null while the referrals service cannot answer (for now always: it has no summary route yet)',
  })
  openReferrals!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null while the claims service cannot answer' }) claimsInProgress!:
    number | null;
}

export class HomeDto {
  @ApiPropertyOptional({ type: InsurerDto, nullable: true }) insurer!: InsurerDto | null;
  @ApiProperty({ type: [AnnouncementDto] }) announcements!: AnnouncementDto[];
  @ApiProperty({ type: HomeCountsDto }) counts!: HomeCountsDto;
}

/** `POST /auth/token` on identity (OAuth 2.0 client credentials, JSON body), for insurer systems. */
export class ClientCredentialsDto {
  @ApiProperty({ enum: ['client_credentials'] }) @IsIn(['client_credentials']) grant_type!: 'client_credentials';
  @ApiProperty({ example: 'asmari-core' }) @IsString() @Length(1, 64) client_id!: string;
  @ApiProperty() @IsString() @Length(1, 256) client_secret!: string;
  @ApiPropertyOptional({ example: 'referrals.attachments:read' }) @IsOptional() @IsString() @Length(1, 200) scope?: string;
}
