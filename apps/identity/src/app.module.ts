import { Module, type DynamicModule } from '@nestjs/common';
import { ACCESS_TOKEN_VERIFIER, CallerGuard } from '@darman/access';
import { Topics } from '@darman/contracts';
import { ConsumerModule, MessagingModule, OutboxModule } from '@darman/messaging';
import { DatabaseModule, PlatformModule } from '@darman/platform';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { CaptchaService } from './auth/captcha.service.js';
import { LoginThrottleService } from './auth/login-throttle.service.js';
import { OneTimeCodeService } from './auth/one-time-code.service.js';
import { PasswordService } from './auth/password.service.js';
import { SessionService } from './auth/session.service.js';
import { SigningKeysService } from './auth/signing-keys.service.js';
import type { IdentityConfig } from './config/identity.config.js';
import { MeController } from './me/me.controller.js';
import { MeService } from './me/me.service.js';
import { PrismaService } from './prisma/prisma.service.js';
import { MembersEventsHandler } from './registry/members-events.handler.js';

@Module({})
export class AppModule {
  static register(config: IdentityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'identity', config }),
        DatabaseModule.forRoot(PrismaService),
        MessagingModule.forRoot(),
        OutboxModule.forRoot(),
        ConsumerModule.register({ groupId: 'darman-identity', topics: [Topics.insurerMembers], handler: MembersEventsHandler }),
      ],
      controllers: [AuthController, MeController],
      providers: [
        AuthService,
        CaptchaService,
        LoginThrottleService,
        OneTimeCodeService,
        PasswordService,
        SessionService,
        SigningKeysService,
        MeService,
        { provide: ACCESS_TOKEN_VERIFIER, useExisting: SigningKeysService },
        CallerGuard,
      ],
    };
  }
}
