import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { RequireScope, ServiceClientGuard } from '@darman/access';
import type { FastifyReply } from 'fastify';
import { sendFile } from './referrals.controller.js';
import { ReferralsService } from './referrals.service.js';

/**
 * For insurer systems (EVENTS.md): the files of a request announced in
 * ReferralRequested / ReferralDocumentsAdded stay in Darman and are fetched
 * here with a service-client token (`referrals.attachments:read`), never a
 * member token. Served by the referrals service itself, not the gateway.
 */
@Controller('internal/referrals')
@UseGuards(ServiceClientGuard)
export class InsurerAttachmentsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get(':trackingCode/attachments/:attachmentId')
  @RequireScope('referrals.attachments:read')
  async attachment(
    @Param('trackingCode') trackingCode: string,
    @Param('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return sendFile(reply, await this.referrals.attachmentForInsurer(trackingCode, attachmentId));
  }
}
