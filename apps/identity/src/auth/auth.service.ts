import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Topics,
  type ActivationConfirmDto,
  type ActivationResultDto,
  type CodeRequestDto,
  type LoginDto,
  type MembershipType,
  type PasswordResetDto,
  type TokenPairDto,
} from '@darman/contracts';
import { MemberRegistry } from '@darman/access';
import { OutboxRelay } from '@darman/messaging';
import { AccountExistsError, AccountsRepository } from '../accounts/accounts.repository.js';
import { IdentityErrors } from './auth.errors.js';
import { CaptchaService } from './captcha.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { OneTimeCodeService } from './one-time-code.service.js';
import { PasswordService } from './password.service.js';
import { SessionService } from './session.service.js';

export const IDENTITY_SOURCE = 'darman-identity';

/** Activation, login, sessions and password reset: the public auth use cases of identity. */
@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly registry: MemberRegistry,
    private readonly captcha: CaptchaService,
    private readonly codes: OneTimeCodeService,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottleService,
    private readonly sessions: SessionService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  /**
   * Sends an activation code when the person is enrolled (not departed) under
   * this membership type with this mobile and has no account yet. The answer
   * is the same in every case, so it reveals nothing about enrolment.
   */
  async requestActivation(dto: CodeRequestDto): Promise<void> {
    await this.captcha.check(dto.captchaId, dto.captchaAnswer);
    if (!(await this.registry.isEnrolledWithMobile(dto, dto.mobile))) return;
    if (await this.findAccount(dto.nationalCode, dto.membershipType)) return;
    await this.codes.send(dto, 'ACTIVATION', dto.mobile);
  }

  /** Creates the portal account and publishes MemberActivated through the outbox, atomically. */
  async confirmActivation(dto: ActivationConfirmDto): Promise<ActivationResultDto> {
    this.passwords.assertAcceptable(dto.password, dto.nationalCode);
    const mobile = await this.codes.consume(dto, 'ACTIVATION', dto.code);
    const passwordHash = await this.passwords.hash(dto.password);
    const activatedAt = new Date();
    try {
      await this.accounts.create(
        {
          id: randomUUID(),
          nationalCode: dto.nationalCode,
          membershipType: dto.membershipType,
          passwordHash,
          mobile,
          activatedAt,
          passwordChangedAt: activatedAt,
        },
        {
          topic: Topics.portalMembers,
          event: {
            subject: dto.nationalCode,
            eventType: 'MemberActivated',
            data: { nationalCode: dto.nationalCode, membershipType: dto.membershipType, activatedAt: activatedAt.toISOString() },
          },
          source: IDENTITY_SOURCE,
        },
      );
    } catch (error) {
      if (error instanceof AccountExistsError) throw IdentityErrors.alreadyActivated();
      throw error;
    }
    this.relay.kick();
    return { nationalCode: dto.nationalCode, membershipType: dto.membershipType, activatedAt: activatedAt.toISOString() };
  }

  /**
   * Captcha first (spent either way), then the lock, then the password. An
   * unknown account, a wrong password and a locked account all answer
   * INVALID_CREDENTIALS; a lock adds Retry-After.
   */
  async login(dto: LoginDto): Promise<TokenPairDto> {
    await this.captcha.check(dto.captchaId, dto.captchaAnswer);
    const locked = await this.throttle.lockedFor(dto.nationalCode, dto.membershipType);
    if (locked > 0) throw IdentityErrors.invalidCredentials(locked);
    const account = await this.findAccount(dto.nationalCode, dto.membershipType);
    if (!(await this.passwords.verify(account?.passwordHash, dto.password)) || !account) {
      const lockedNow = await this.throttle.recordFailure(dto.nationalCode, dto.membershipType);
      throw IdentityErrors.invalidCredentials(lockedNow || undefined);
    }
    await this.throttle.clear(dto.nationalCode, dto.membershipType);
    return this.sessions.start(account, dto.rememberMe ?? false);
  }

  refresh(refreshToken: string): Promise<TokenPairDto> {
    return this.sessions.refresh(refreshToken);
  }

  logout(refreshToken: string): Promise<void> {
    return this.sessions.logout(refreshToken);
  }

  /** Sends a reset code when an account exists with this mobile on record; same answer otherwise. */
  async forgotPassword(dto: CodeRequestDto): Promise<void> {
    await this.captcha.check(dto.captchaId, dto.captchaAnswer);
    const account = await this.findAccount(dto.nationalCode, dto.membershipType);
    if (!account || account.mobile !== dto.mobile) return;
    await this.codes.send(dto, 'PASSWORD_RESET', dto.mobile);
  }

  /** Sets the new password, ends every session and lifts any lock. */
  async resetPassword(dto: PasswordResetDto): Promise<void> {
    this.passwords.assertAcceptable(dto.newPassword, dto.nationalCode);
    await this.codes.consume(dto, 'PASSWORD_RESET', dto.code);
    const account = await this.findAccount(dto.nationalCode, dto.membershipType);
    if (!account) throw IdentityErrors.codeInvalid();
    await this.accounts.setPassword(account.id, await this.passwords.hash(dto.newPassword));
    await this.sessions.revokeAll(account.id, 'PASSWORD_RESET');
    await this.throttle.clear(dto.nationalCode, dto.membershipType);
  }

  private findAccount(nationalCode: string, membershipType: MembershipType) {
    return this.accounts.findByLogin(nationalCode, membershipType);
  }
}
