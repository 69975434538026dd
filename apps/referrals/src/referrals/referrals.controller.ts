import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CallerGuard, CurrentCaller, type Caller } from '@darman/access';
import {
  CancelReferralDto,
  CreateReferralDto,
  ReferralsQueryDto,
  VerifyReferralQueryDto,
  type Page,
  type ReferralCreatedDto,
  type ReferralDetailDto,
  type ReferralListItemDto,
  type ReferralVerificationDto,
} from '@darman/contracts';
import { createValidationPipe } from '@darman/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StoredFile } from '../attachments/attachment-store.js';
import { readMultipart } from '../attachments/multipart.js';
import { ReferralsService } from './referrals.service.js';

const fieldsPipe = createValidationPipe();

const STORED_EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

/** Sends a stored file as a download: its stored type, never rendered inline, never sniffed. */
export function sendFile(reply: FastifyReply, file: StoredFile): FastifyReply {
  // The label is what the member called the file; the saved name takes the extension of what it is.
  const ext = STORED_EXTENSIONS[file.contentType] ?? 'bin';
  const name = `${file.label.replace(/\.[^.]{1,10}$/, '')}.${ext}`;
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header('content-length', String(file.size))
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('x-attachment-sha256', file.sha256)
    .send(file.body);
}

/** Internal referrals API behind the gateway; the caller is proven by the relayed access token, verified here. */
@Controller('referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  /** Public: a centre checks a letter with the patient's national code (the gateway rate-limits it). */
  @Get('verify')
  verify(@Query() query: VerifyReferralQueryDto): Promise<ReferralVerificationDto> {
    return this.referrals.verify(query.trackingCode, query.nationalCode);
  }

  @Get('open-count')
  @UseGuards(CallerGuard)
  openCount(@CurrentCaller() caller: Caller): Promise<{ openReferrals: number }> {
    return this.referrals.openCount(caller);
  }

  @Get()
  @UseGuards(CallerGuard)
  list(@CurrentCaller() caller: Caller, @Query() query: ReferralsQueryDto): Promise<Page<ReferralListItemDto>> {
    return this.referrals.list(caller, query);
  }

  @Post()
  @UseGuards(CallerGuard)
  async create(@CurrentCaller() caller: Caller, @Req() request: FastifyRequest): Promise<ReferralCreatedDto> {
    const { fields, files } = await readMultipart(request);
    const dto = (await fieldsPipe.transform(fields, { type: 'body', metatype: CreateReferralDto })) as CreateReferralDto;
    return this.referrals.create(caller, dto, files);
  }

  @Get(':trackingCode')
  @UseGuards(CallerGuard)
  detail(@CurrentCaller() caller: Caller, @Param('trackingCode') trackingCode: string): Promise<ReferralDetailDto> {
    return this.referrals.detail(caller, trackingCode);
  }

  @Post(':trackingCode/attachments')
  @UseGuards(CallerGuard)
  async addAttachments(
    @CurrentCaller() caller: Caller,
    @Param('trackingCode') trackingCode: string,
    @Req() request: FastifyRequest,
  ): Promise<ReferralDetailDto> {
    const { fields, files } = await readMultipart(request);
    await fieldsPipe.transform(fields, { type: 'body', metatype: NoFields });
    return this.referrals.addAttachments(caller, trackingCode, files);
  }

  @Get(':trackingCode/attachments/:attachmentId')
  @UseGuards(CallerGuard)
  async attachment(
    @CurrentCaller() caller: Caller,
    @Param('trackingCode') trackingCode: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return sendFile(reply, await this.referrals.attachment(caller, trackingCode, attachmentId));
  }

  @Post(':trackingCode/cancel')
  @HttpCode(200)
  @UseGuards(CallerGuard)
  cancel(
    @CurrentCaller() caller: Caller,
    @Param('trackingCode') trackingCode: string,
    @Body() dto: CancelReferralDto,
  ): Promise<ReferralDetailDto> {
    return this.referrals.cancel(caller, trackingCode, dto.reason);
  }
}

/** Adding documents takes files only. */
class NoFields {}
