import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClaimDetailDto, ClaimPageDto, ClaimsQueryDto } from '@darman/contracts';
import { InternalRoutes } from '@darman/contracts';
import type { FastifyRequest } from 'fastify';
import { MemberAuthGuard } from '../auth/member-auth.guard.js';
import { ClaimsClient } from '../clients/clients.js';
import { relayHeaders } from '../clients/relay.js';
import { ApiErrors, RATE_LIMITED } from '../docs/api-docs.js';

/** A member's claims; the claims service enforces who may see whose. */
@ApiTags('claims')
@ApiBearerAuth()
@ApiErrors({ 401: 'UNAUTHORIZED, TOKEN_EXPIRED', ...RATE_LIMITED })
@Controller('claims')
@UseGuards(MemberAuthGuard)
export class ClaimsController {
  constructor(private readonly claims: ClaimsClient) {}

  @Get()
  @ApiOperation({
    summary:
      "Claims of one person (default: the caller) under one contract (default: the caller's active contract), newest admission first",
  })
  @ApiOkResponse({ type: ClaimPageDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED, NATIONAL_CODE_INVALID', 404: 'NOT_FOUND (a person or contract the caller may not see)' })
  list(@Req() request: FastifyRequest, @Query() query: ClaimsQueryDto): Promise<ClaimPageDto> {
    return this.claims.call(InternalRoutes.claims.list, { ...relayHeaders(request), query: { ...query } });
  }

  @Get(':claimId')
  @ApiOperation({ summary: 'One claim with amounts, timeline and payment estimate' })
  @ApiOkResponse({ type: ClaimDetailDto })
  @ApiErrors({ 404: 'NOT_FOUND (also for a claim of a person the caller may not see)' })
  detail(@Req() request: FastifyRequest, @Param('claimId') claimId: string): Promise<ClaimDetailDto> {
    return this.claims.call(InternalRoutes.claims.detail, { ...relayHeaders(request), params: { claimId } });
  }
}
