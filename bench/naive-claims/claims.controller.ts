import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { ClaimsQueryDto } from './claims-query.dto.js';
import { ClaimsService, type ClaimPage } from './claims.service.js';
import type { NaiveUser } from './jwt.strategy.js';

@Controller('claims')
@UseGuards(AuthGuard('jwt'))
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Get()
  list(@Req() request: Request, @Query() query: ClaimsQueryDto): Promise<ClaimPage> {
    return this.claims.list(request.user as NaiveUser, query);
  }
}
