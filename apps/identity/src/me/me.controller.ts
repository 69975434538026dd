import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, UseGuards } from '@nestjs/common';
import { CallerGuard, CurrentCaller, type Caller } from '@darman/access';
import {
  ChangePasswordDto,
  MembersQueryDto,
  MobileVerifyDto,
  PageQueryDto,
  UpdateProfileDto,
  type AnnouncementDto,
  type ContractDto,
  type HomeDto,
  type Page,
  type PersonDto,
  type ProfileDto,
} from '@darman/contracts';
import { MeService } from './me.service.js';

/** Internal member API: every route acts for the caller proven by the relayed access token. */
@Controller()
@UseGuards(CallerGuard)
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get('me')
  profile(@CurrentCaller() caller: Caller): Promise<ProfileDto> {
    return this.me.profile(caller);
  }

  @Patch('me')
  updateProfile(@CurrentCaller() caller: Caller, @Body() dto: UpdateProfileDto): Promise<ProfileDto> {
    return this.me.updateProfile(caller, dto);
  }

  @Post('me/mobile/verify')
  @HttpCode(202)
  async verifyMobile(@CurrentCaller() caller: Caller, @Body() dto: MobileVerifyDto): Promise<void> {
    await this.me.verifyMobile(caller, dto);
  }

  @Put('me/password')
  @HttpCode(204)
  async changePassword(@CurrentCaller() caller: Caller, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.me.changePassword(caller, dto);
  }

  @Get('me/contracts')
  contracts(@CurrentCaller() caller: Caller): Promise<ContractDto[]> {
    return this.me.contracts(caller);
  }

  @Get('me/contracts/:contractNumber/members')
  members(
    @CurrentCaller() caller: Caller,
    @Param('contractNumber') contractNumber: string,
    @Query() query: MembersQueryDto,
  ): Promise<Page<PersonDto>> {
    return this.me.members(caller, contractNumber, query);
  }

  @Get('home')
  home(@CurrentCaller() caller: Caller): Promise<Omit<HomeDto, 'counts'>> {
    return this.me.home(caller);
  }

  @Get('announcements')
  announcements(@CurrentCaller() caller: Caller, @Query() query: PageQueryDto): Promise<Page<AnnouncementDto>> {
    return this.me.announcements(caller, query);
  }
}
