import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { CallerGuard, CurrentCaller, type Caller } from '@darman/access';
import { ClaimsQueryDto, type ClaimDetailDto, type ClaimListItemDto, type ClaimsSummaryDto, type Page } from '@darman/contracts';
import { ClaimsQueryService } from './claims-query.service.js';

/** Internal claims API: the caller is proven by the relayed access token, verified here against identity's keys. */
@Controller('claims')
@UseGuards(CallerGuard)
export class ClaimsController {
  constructor(private readonly claims: ClaimsQueryService) {}

  @Get()
  list(@CurrentCaller() caller: Caller, @Query() query: ClaimsQueryDto): Promise<Page<ClaimListItemDto>> {
    return this.claims.list(caller, query);
  }

  @Get('summary')
  summary(@CurrentCaller() caller: Caller): Promise<ClaimsSummaryDto> {
    return this.claims.summary(caller);
  }

  @Get(':claimId')
  detail(@CurrentCaller() caller: Caller, @Param('claimId') claimId: string): Promise<ClaimDetailDto> {
    return this.claims.detail(caller, claimId);
  }
}
