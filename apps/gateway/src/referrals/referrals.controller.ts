import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import {
  CancelReferralDto,
  InternalRoutes,
  ReferralCreatedDto,
  ReferralDetailDto,
  ReferralPageDto,
  ReferralsQueryDto,
  ReferralVerificationDto,
  VerifyReferralQueryDto,
} from '@darman/contracts';
import { AppError } from '@darman/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MemberAuthGuard } from '../auth/member-auth.guard.js';
import { ReferralsClient } from '../clients/clients.js';
import { relayHeaders } from '../clients/relay.js';
import type { StreamedBody } from '../clients/service-client.js';
import { ApiErrors, ApiPublic, RATE_LIMITED } from '../docs/api-docs.js';

/**
 * The most a multipart body may carry through the gateway: eight files at
 * the 5 MB limit plus the form fields. The referrals service enforces each
 * file's limits while it streams; this only stops an endless body early.
 */
export const MAX_UPLOAD_BYTES = 8 * 5 * 1024 * 1024 + 256 * 1024;

const uploadTooLarge = () =>
  new AppError('ATTACHMENT_TOO_LARGE', 413, { en: 'The upload is too large.', fa: 'حجم فایل‌های ارسالی بیش از حد مجاز است.' });

/** The member's multipart body, relayed as it streams (never read into the gateway's memory). */
function streamedBody(request: FastifyRequest): StreamedBody {
  const contentType = request.headers['content-type'] ?? '';
  const length = request.headers['content-length'];
  if (length && Number(length) > MAX_UPLOAD_BYTES) throw uploadTooLarge();
  return { stream: request.raw, contentType, contentLength: length };
}

const FILE = { type: 'string', format: 'binary' } as const;
const UPLOAD_ERRORS = {
  400: 'VALIDATION_FAILED, ATTACHMENT_EMPTY, ATTACHMENT_MISSING, TOO_MANY_ATTACHMENTS',
  413: 'ATTACHMENT_TOO_LARGE (over 5 MB)',
  415: 'ATTACHMENT_TYPE_NOT_ALLOWED (only JPEG, PNG or PDF, by content)',
  422: 'ATTACHMENT_UNSAFE (PDF with JavaScript, launch actions or embedded files; encrypted PDF; image over 40 megapixels or unreadable)',
};

/** A member's referral letters (معرفی‌نامه); the referrals service enforces who may see whose. */
@ApiTags('referrals')
@ApiBearerAuth()
@ApiErrors({ 401: 'UNAUTHORIZED, TOKEN_EXPIRED', ...RATE_LIMITED })
@Controller('referrals')
@UseGuards(MemberAuthGuard)
export class ReferralsController {
  constructor(private readonly referrals: ReferralsClient) {}

  @Get()
  @ApiOperation({ summary: 'Requests of one person (default: the caller), newest first (معرفی نامه‌های آنلاین)' })
  @ApiOkResponse({ type: ReferralPageDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED, NATIONAL_CODE_INVALID', 404: 'NOT_FOUND (a person the caller may not see)' })
  list(@Req() request: FastifyRequest, @Query() query: ReferralsQueryDto): Promise<ReferralPageDto> {
    return this.referrals.call(InternalRoutes.referrals.list, { ...relayHeaders(request), query: { ...query } });
  }

  @Post()
  @ApiOperation({
    summary: 'Ask for a referral letter with the prescription and national card attached',
    description:
      'Multipart. Files are typed by content (JPEG, PNG, PDF), at most 5 MB each and 8 in all; photos are stored without EXIF. Warnings (LEAD_TIME_SHORT, ONLINE_REFERRAL_AVAILABLE) do not refuse the request. Publishes ReferralRequested.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [
        'patientNationalCode',
        'contractNumber',
        'providerId',
        'admissionDate',
        'doctorName',
        'reason',
        'serviceCategory',
        'prescription',
        'nationalCard',
      ],
      properties: {
        patientNationalCode: { type: 'string', example: '0499370910' },
        contractNumber: { type: 'string', example: '1722169' },
        providerId: { type: 'string', example: '1001' },
        admissionDate: { type: 'string', format: 'date' },
        doctorName: { type: 'string' },
        reason: { type: 'string' },
        serviceCategory: { type: 'string', enum: ['HOSPITALIZATION', 'SURGERY', 'PARACLINICAL', 'OTHER'] },
        prescription: FILE,
        nationalCard: FILE,
        other: { type: 'array', items: FILE, maxItems: 6 },
      },
    },
  })
  @ApiCreatedResponse({ type: ReferralCreatedDto })
  @ApiErrors({
    ...UPLOAD_ERRORS,
    404: 'NOT_FOUND (a patient the caller may not see)',
    422: `${UPLOAD_ERRORS[422]}; PROVIDER_NOT_CONTRACTED, PROVIDER_ISSUES_NO_REFERRAL, CONTRACT_NOT_ACTIVE`,
  })
  create(@Req() request: FastifyRequest): Promise<ReferralCreatedDto> {
    return this.referrals.relayBody(InternalRoutes.referrals.create, streamedBody(request), relayHeaders(request));
  }

  @Get(':trackingCode')
  @ApiOperation({ summary: 'One request with its timeline, requested documents, exam appointment, letter and attachments' })
  @ApiOkResponse({ type: ReferralDetailDto })
  @ApiErrors({ 404: 'REFERRAL_NOT_FOUND (also for a person the caller may not see)' })
  detail(@Req() request: FastifyRequest, @Param('trackingCode') trackingCode: string): Promise<ReferralDetailDto> {
    return this.referrals.call(InternalRoutes.referrals.detail, { ...relayHeaders(request), params: { trackingCode } });
  }

  @Post(':trackingCode/attachments')
  @ApiOperation({
    summary: 'Add documents while SUBMITTED or DOCUMENTS_REQUESTED; publishes ReferralDocumentsAdded',
    description: 'Multipart, one field per kind. When every requested kind has arrived the request returns to SUBMITTED.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: Object.fromEntries(
        ['prescription', 'nationalCard', 'medicalReport', 'imaging', 'other'].map((f) => [f, { type: 'array', items: FILE }]),
      ),
    },
  })
  @ApiCreatedResponse({ type: ReferralDetailDto })
  @ApiErrors({ ...UPLOAD_ERRORS, 404: 'REFERRAL_NOT_FOUND', 409: 'REFERRAL_NOT_ACCEPTING_DOCUMENTS' })
  addAttachments(@Req() request: FastifyRequest, @Param('trackingCode') trackingCode: string): Promise<ReferralDetailDto> {
    return this.referrals.relayBody(InternalRoutes.referrals.addAttachments, streamedBody(request), {
      ...relayHeaders(request),
      params: { trackingCode },
    });
  }

  @Get(':trackingCode/attachments/:attachmentId')
  @ApiOperation({ summary: 'Download a file of a request (stored type, Content-Disposition: attachment, nosniff)' })
  @ApiProduces('image/jpeg', 'image/png', 'application/pdf')
  @ApiOkResponse({ schema: FILE })
  @ApiErrors({ 404: 'REFERRAL_NOT_FOUND' })
  async attachment(
    @Req() request: FastifyRequest,
    @Param('trackingCode') trackingCode: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const file = await this.referrals.download(InternalRoutes.referrals.attachment, {
      ...relayHeaders(request),
      params: { trackingCode, attachmentId },
    });
    return reply.headers(file.headers).send(file.body);
  }

  @Post(':trackingCode/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a request before a decision; publishes ReferralCancelled' })
  @ApiOkResponse({ type: ReferralDetailDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED', 404: 'REFERRAL_NOT_FOUND', 409: 'REFERRAL_NOT_CANCELLABLE' })
  cancel(
    @Req() request: FastifyRequest,
    @Param('trackingCode') trackingCode: string,
    @Body() dto: CancelReferralDto,
  ): Promise<ReferralDetailDto> {
    return this.referrals.call(InternalRoutes.referrals.cancel, { ...relayHeaders(request), params: { trackingCode }, body: dto });
  }
}

/** A centre checks a letter without logging in (rate-limited tighter, as credential routes are). */
@ApiTags('referrals')
@ApiPublic()
@ApiErrors({ ...RATE_LIMITED })
@Controller('referrals/verify')
export class ReferralVerificationController {
  constructor(private readonly referrals: ReferralsClient) {}

  @Get()
  @ApiOperation({
    summary: 'Whether an approved, unexpired letter exists for this tracking code and patient; the same answer for an unknown code',
  })
  @ApiOkResponse({ type: ReferralVerificationDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED, NATIONAL_CODE_INVALID' })
  verify(@Req() request: FastifyRequest, @Query() query: VerifyReferralQueryDto): Promise<ReferralVerificationDto> {
    return this.referrals.call(InternalRoutes.referrals.verify, { requestId: relayHeaders(request).requestId, query: { ...query } });
  }
}
