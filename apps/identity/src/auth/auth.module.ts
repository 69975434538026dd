import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AuthController } from './auth.controller.js';
import { ClientCredentialsService } from './client-credentials.service.js';
import { AuthService } from './auth.service.js';
import { CaptchaService } from './captcha.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { OneTimeCodeService } from './one-time-code.service.js';
import { PasswordService } from './password.service.js';
import { SessionService } from './session.service.js';
import { SigningKeysModule } from './signing-keys.module.js';

/** Activation, login, sessions, password reset, captchas, one-time codes and the key set. */
@Module({
  imports: [AccountsModule, SigningKeysModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    CaptchaService,
    ClientCredentialsService,
    LoginThrottleService,
    OneTimeCodeService,
    PasswordService,
    SessionService,
  ],
  exports: [OneTimeCodeService, PasswordService, SessionService],
})
export class AuthModule {}
