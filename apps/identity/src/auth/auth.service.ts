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
import { addToOutbox, OutboxRelay } from '@darman/messaging';
import { tehranDate } from '@darman/persian';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
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
    private readonly db: PrismaService,
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
    if (!(await this.isEnrolledWithMobile(dto.nationalCode, dto.membershipType, dto.mobile))) return;
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
      await this.db.$transaction(async (tx) => {
        await tx.account.create({
          data: {
            id: randomUUID(),
            nationalCode: dto.nationalCode,
            membershipType: dto.membershipType,
            passwordHash,
            mobile,
            activatedAt,
            passwordChangedAt: activatedAt,
          },
        });
        await addToOutbox(
          tx,
          Topics.portalMembers,
          {
            subject: dto.nationalCode,
            eventType: 'MemberActivated',
            data: { nationalCode: dto.nationalCode, membershipType: dto.membershipType, activatedAt: activatedAt.toISOString() },
          },
          IDENTITY_SOURCE,
        );
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw IdentityErrors.alreadyActivated();
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
    await this.db.account.update({
      where: { id: account.id },
      data: { passwordHash: await this.passwords.hash(dto.newPassword), passwordChangedAt: new Date() },
    });
    await this.sessions.revokeAll(account.id, 'PASSWORD_RESET');
    await this.throttle.clear(dto.nationalCode, dto.membershipType);
  }

  private findAccount(nationalCode: string, membershipType: MembershipType) {
    return this.db.account.findUnique({ where: { nationalCode_membershipType: { nationalCode, membershipType } } });
  }

  private async isEnrolledWithMobile(nationalCode: string, membershipType: MembershipType, mobile: string): Promise<boolean> {
    const today = tehranDate();
    const rows = await this.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM registry_enrollments
       WHERE national_code = ${nationalCode} AND membership_type = ${membershipType} AND mobile = ${mobile}
         AND (left_on IS NULL OR left_on > ${today}::date)`;
    return (rows[0]?.n ?? 0) > 0;
  }
}
