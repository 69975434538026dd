import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ActivationConfirmDto,
  ClientCredentialsDto,
  CodeRequestDto,
  LoginDto,
  PasswordResetDto,
  RefreshTokenDto,
  type ActivationResultDto,
  type CaptchaChallengeDto,
  type TokenPairDto,
} from '@darman/contracts';
import { AuthService } from './auth.service.js';
import { CaptchaService } from './captcha.service.js';
import { ClientCredentialsService, type ServiceTokenAnswer } from './client-credentials.service.js';
import { SigningKeysService } from './signing-keys.service.js';

/** Internal auth API (the gateway serves it publicly under /api/v1/auth). */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly captcha: CaptchaService,
    private readonly keys: SigningKeysService,
    private readonly clients: ClientCredentialsService,
  ) {}

  /** Client-credentials grant for insurer systems (not routed by the gateway; see the README). */
  @Post('token')
  @HttpCode(200)
  token(@Body() dto: ClientCredentialsDto): Promise<ServiceTokenAnswer> {
    return this.clients.issue(dto.client_id, dto.client_secret, dto.scope);
  }

  @Get('captcha')
  createCaptcha(): Promise<CaptchaChallengeDto> {
    return this.captcha.create();
  }

  @Get('jwks')
  jwks() {
    return this.keys.jwks();
  }

  @Post('activation/request')
  @HttpCode(202)
  async requestActivation(@Body() dto: CodeRequestDto): Promise<void> {
    await this.auth.requestActivation(dto);
  }

  @Post('activation/confirm')
  @HttpCode(201)
  confirmActivation(@Body() dto: ActivationConfirmDto): Promise<ActivationResultDto> {
    return this.auth.confirmActivation(dto);
  }

  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Body() dto: RefreshTokenDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @Post('password/forgot')
  @HttpCode(202)
  async forgotPassword(@Body() dto: CodeRequestDto): Promise<void> {
    await this.auth.forgotPassword(dto);
  }

  @Post('password/reset')
  @HttpCode(204)
  async resetPassword(@Body() dto: PasswordResetDto): Promise<void> {
    await this.auth.resetPassword(dto);
  }
}
