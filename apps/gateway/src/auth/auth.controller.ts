import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  ActivationConfirmDto,
  ActivationResultDto,
  CaptchaChallengeDto,
  CodeRequestDto,
  LoginDto,
  PasswordResetDto,
  TokenPairDto,
} from '@darman/contracts';
import { InternalRoutes } from '@darman/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdentityClient } from '../clients/clients.js';
import { relayHeaders } from '../clients/relay.js';
import { ApiErrors, ApiPublic, RATE_LIMITED } from '../docs/api-docs.js';
import { clearRefreshCookie, REFRESH_COOKIE, refreshTokenOf, setRefreshCookie, wantsCookie } from './refresh-cookie.js';

/** The body of refresh and logout: the token, unless the refresh cookie carries it (browsers, refresh-cookie.ts). */
class RefreshRequestDto {
  @ApiProperty({ required: false, description: `omit it when the ${REFRESH_COOKIE} cookie is sent with X-Refresh-Cookie: 1` })
  @IsOptional()
  @IsString()
  @Length(16, 256)
  refreshToken?: string;
}

const COOKIE_HEADER_DOC = {
  name: 'X-Refresh-Cookie',
  required: false,
  description: `1: the refresh token travels in the HttpOnly ${REFRESH_COOKIE} cookie (Path=/api/v1/auth; Secure; SameSite=Strict), not in the body`,
};

const CAPTCHA_ERRORS =
  'CAPTCHA_INVALID (wrong answer), CAPTCHA_EXPIRED (expired, used or unknown), VALIDATION_FAILED, NATIONAL_CODE_INVALID';

/** Public auth routes; identity decides, the gateway validates, documents and rate-limits per IP. */
@ApiTags('auth')
@ApiPublic()
@ApiErrors(RATE_LIMITED)
@Controller('auth')
export class AuthController {
  constructor(private readonly identity: IdentityClient) {}

  @Get('captcha')
  @ApiOperation({ summary: 'A new image captcha (single use, 2 minutes)' })
  @ApiOkResponse({ type: CaptchaChallengeDto })
  captcha(@Req() request: FastifyRequest): Promise<CaptchaChallengeDto> {
    return this.identity.call(InternalRoutes.identity.captcha, relayHeaders(request));
  }

  @Get('jwks')
  @ApiOperation({ summary: 'Public keys (JWKS) that verify access tokens' })
  jwks(@Req() request: FastifyRequest): Promise<unknown> {
    return this.identity.call(InternalRoutes.identity.jwks, relayHeaders(request));
  }

  @Post('activation/request')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send an activation code to the mobile on record; the answer never reveals whether the person is enrolled' })
  @ApiAcceptedResponse()
  @ApiErrors({ 400: CAPTCHA_ERRORS, 429: 'RATE_LIMITED' })
  async requestActivation(@Req() request: FastifyRequest, @Body() dto: CodeRequestDto): Promise<void> {
    await this.identity.call(InternalRoutes.identity.activationRequest, { ...relayHeaders(request), body: dto });
  }

  @Post('activation/confirm')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create the portal account with the code and a password; publishes MemberActivated' })
  @ApiCreatedResponse({ type: ActivationResultDto })
  @ApiErrors({ 400: 'CODE_INVALID, WEAK_PASSWORD, VALIDATION_FAILED', 409: 'ALREADY_ACTIVATED', 429: 'RATE_LIMITED' })
  confirmActivation(@Req() request: FastifyRequest, @Body() dto: ActivationConfirmDto): Promise<ActivationResultDto> {
    return this.identity.call(InternalRoutes.identity.activationConfirm, { ...relayHeaders(request), body: dto });
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with national code, password, membership type and captcha' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors({
    400: CAPTCHA_ERRORS,
    401: 'INVALID_CREDENTIALS (unknown account, wrong password, or locked: then with Retry-After)',
    429: 'RATE_LIMITED',
  })
  @ApiQuery({
    name: 'cookie',
    required: false,
    enum: ['1'],
    description: `1: also set the refresh token as the HttpOnly ${REFRESH_COOKIE} cookie`,
  })
  @ApiHeader(COOKIE_HEADER_DOC)
  async login(
    @Req() request: FastifyRequest,
    @Body() dto: LoginDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    const pair = await this.identity.call<TokenPairDto>(InternalRoutes.identity.login, { ...relayHeaders(request), body: dto });
    if (wantsCookie(request)) setRefreshCookie(reply, pair.refreshToken, pair.refreshExpiresIn);
    return pair;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token (body, or the refresh cookie) for a new pair; the old one is spent' })
  @ApiHeader(COOKIE_HEADER_DOC)
  @ApiBody({ type: RefreshRequestDto, required: false })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors({
    400: 'VALIDATION_FAILED (no token in the body or the cookie)',
    401: 'REFRESH_TOKEN_INVALID, REFRESH_TOKEN_REUSED (the whole session is revoked)',
    403: 'CSRF_REJECTED (the cookie without X-Refresh-Cookie: 1, or from another origin)',
  })
  async refresh(
    @Req() request: FastifyRequest,
    @Body() dto: RefreshRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    const { token, fromCookie } = refreshTokenOf(request, dto);
    try {
      const pair = await this.identity.call<TokenPairDto>(InternalRoutes.identity.refresh, {
        ...relayHeaders(request),
        body: { refreshToken: token },
      });
      if (fromCookie) setRefreshCookie(reply, pair.refreshToken, pair.refreshExpiresIn);
      return pair;
    } catch (error) {
      if (fromCookie) clearRefreshCookie(reply);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session (the refresh-token family); the refresh cookie is cleared' })
  @ApiHeader(COOKIE_HEADER_DOC)
  @ApiBody({ type: RefreshRequestDto, required: false })
  @ApiNoContentResponse()
  @ApiErrors({ 403: 'CSRF_REJECTED (the cookie without X-Refresh-Cookie: 1, or from another origin)' })
  async logout(
    @Req() request: FastifyRequest,
    @Body() dto: RefreshRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { token, fromCookie } = refreshTokenOf(request, dto);
    if (fromCookie) clearRefreshCookie(reply);
    await this.identity.call(InternalRoutes.identity.logout, { ...relayHeaders(request), body: { refreshToken: token } });
  }

  @Post('password/forgot')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a password-reset code to the mobile on record' })
  @ApiAcceptedResponse()
  @ApiErrors({ 400: CAPTCHA_ERRORS, 429: 'RATE_LIMITED' })
  async forgotPassword(@Req() request: FastifyRequest, @Body() dto: CodeRequestDto): Promise<void> {
    await this.identity.call(InternalRoutes.identity.passwordForgot, { ...relayHeaders(request), body: dto });
  }

  @Post('password/reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the code; every session is revoked' })
  @ApiNoContentResponse()
  @ApiErrors({ 400: 'CODE_INVALID, WEAK_PASSWORD, VALIDATION_FAILED', 429: 'RATE_LIMITED' })
  async resetPassword(@Req() request: FastifyRequest, @Body() dto: PasswordResetDto): Promise<void> {
    await this.identity.call(InternalRoutes.identity.passwordReset, { ...relayHeaders(request), body: dto });
  }
}
