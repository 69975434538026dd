import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AnnouncementPageDto,
  ChangePasswordDto,
  ContractDto,
  HomeDto,
  MembersQueryDto,
  MobileVerifyDto,
  PageQueryDto,
  PersonPageDto,
  ProfileDto,
  UpdateProfileDto,
} from '@darman/contracts';
import { InternalRoutes } from '@darman/contracts';
import type { FastifyRequest } from 'fastify';
import { MemberAuthGuard } from '../auth/member-auth.guard.js';
import { ClaimsClient, IdentityClient, ReferralsClient } from '../clients/clients.js';
import { relayHeaders } from '../clients/relay.js';
import { ApiErrors, RATE_LIMITED } from '../docs/api-docs.js';

const AUTH_ERRORS = 'UNAUTHORIZED (missing or invalid token), TOKEN_EXPIRED';

/** The signed-in member's routes. Identity enforces who may see what from the relayed token. */
@ApiTags('member')
@ApiBearerAuth()
@ApiErrors({ 401: AUTH_ERRORS, ...RATE_LIMITED })
@Controller()
@UseGuards(MemberAuthGuard)
export class MeController {
  constructor(
    private readonly identity: IdentityClient,
    private readonly claims: ClaimsClient,
    private readonly referrals: ReferralsClient,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The profile' })
  @ApiOkResponse({ type: ProfileDto })
  profile(@Req() request: FastifyRequest): Promise<ProfileDto> {
    return this.identity.call(InternalRoutes.identity.profile, relayHeaders(request));
  }

  @Patch('me')
  @ApiOperation({ summary: 'Edit email, address, Sheba or mobile (a new mobile needs mobileCode); publishes MemberContactChanged' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiErrors({ 400: 'VALIDATION_FAILED, IBAN_INVALID, CODE_INVALID' })
  updateProfile(@Req() request: FastifyRequest, @Body() dto: UpdateProfileDto): Promise<ProfileDto> {
    return this.identity.call(InternalRoutes.identity.updateProfile, { ...relayHeaders(request), body: dto });
  }

  @Post('me/mobile/verify')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a one-time code to a new mobile, for PATCH /me' })
  @ApiAcceptedResponse()
  async verifyMobile(@Req() request: FastifyRequest, @Body() dto: MobileVerifyDto): Promise<void> {
    await this.identity.call(InternalRoutes.identity.verifyMobile, { ...relayHeaders(request), body: dto });
  }

  @Put('me/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; every other session is revoked' })
  @ApiNoContentResponse()
  @ApiErrors({ 400: 'WEAK_PASSWORD, VALIDATION_FAILED', 403: 'CURRENT_PASSWORD_INCORRECT' })
  async changePassword(@Req() request: FastifyRequest, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.identity.call(InternalRoutes.identity.changePassword, { ...relayHeaders(request), body: dto });
  }

  @Get('me/contracts')
  @ApiOperation({ summary: 'Contracts the member is enrolled in' })
  @ApiOkResponse({ type: [ContractDto] })
  contracts(@Req() request: FastifyRequest): Promise<ContractDto[]> {
    return this.identity.call(InternalRoutes.identity.contracts, relayHeaders(request));
  }

  @Get('me/contracts/:contractNumber/members')
  @ApiOperation({ summary: 'Persons the member may see under the contract (افراد تحت تکفل)' })
  @ApiOkResponse({ type: PersonPageDto })
  @ApiErrors({ 404: 'NOT_FOUND (not enrolled in that contract)' })
  members(
    @Req() request: FastifyRequest,
    @Param('contractNumber') contractNumber: string,
    @Query() query: MembersQueryDto,
  ): Promise<PersonPageDto> {
    return this.identity.call(InternalRoutes.identity.members, {
      params: { contractNumber },
      ...relayHeaders(request),
      query: { ...query },
    });
  }

  @Get('home')
  @ApiOperation({ summary: 'Insurer, latest announcements and counts; a count is null while its service cannot answer' })
  @ApiOkResponse({ type: HomeDto })
  async home(@Req() request: FastifyRequest): Promise<HomeDto> {
    const relay = relayHeaders(request);
    const [identityPart, claimsInProgress, openReferrals] = await Promise.all([
      this.identity.call<Omit<HomeDto, 'counts'>>(InternalRoutes.identity.home, relay),
      this.claims.countOrNull(InternalRoutes.claims.summary, 'inProgress', relay),
      this.referrals.countOrNull(InternalRoutes.referrals.openCount, 'openReferrals', relay),
    ]);
    return { ...identityPart, counts: { openReferrals, claimsInProgress } };
  }

  @Get('announcements')
  @ApiOperation({ summary: 'Announcements of the member’s insurers, newest first, expired hidden' })
  @ApiOkResponse({ type: AnnouncementPageDto })
  announcements(@Req() request: FastifyRequest, @Query() query: PageQueryDto): Promise<AnnouncementPageDto> {
    return this.identity.call(InternalRoutes.identity.announcements, { ...relayHeaders(request), query: { ...query } });
  }
}
