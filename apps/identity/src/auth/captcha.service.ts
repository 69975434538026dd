import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@darman/platform';
import svgCaptcha from 'svg-captcha';
import type { CaptchaChallengeDto } from '@darman/contracts';
import type { IdentityConfig } from '../config/identity.config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { IdentityErrors } from './auth.errors.js';

export const CAPTCHA_LIFETIME_SECONDS = 120;

const answerHash = (answer: string) => createHash('sha256').update(answer.trim().toLowerCase()).digest('hex');

/**
 * Image captchas (svg-captcha) for login, activation and password reset.
 * Challenges live in the database, so any replica can check any challenge;
 * a challenge is deleted by the first check, right or wrong, so it cannot be
 * tried twice.
 */
@Injectable()
export class CaptchaService {
  private readonly testAnswer?: string;

  constructor(
    private readonly db: PrismaService,
    @Inject(APP_CONFIG) config: IdentityConfig,
  ) {
    this.testAnswer = config.NODE_ENV === 'production' ? undefined : config.CAPTCHA_TEST_ANSWER?.toLowerCase();
  }

  async create(): Promise<CaptchaChallengeDto> {
    const captcha = svgCaptcha.create({ size: 5, noise: 2, ignoreChars: '0oO1iIlL', background: '#f4f6f8' });
    const id = randomUUID();
    await this.db.$executeRaw`DELETE FROM captchas WHERE expires_at < now() - interval '1 minute'`;
    await this.db.captcha.create({
      data: { id, answerHash: answerHash(captcha.text), expiresAt: new Date(Date.now() + CAPTCHA_LIFETIME_SECONDS * 1000) },
    });
    return { captchaId: id, svg: captcha.data, expiresIn: CAPTCHA_LIFETIME_SECONDS };
  }

  /** Spends the challenge; throws CAPTCHA_EXPIRED (unknown, used or old) or CAPTCHA_INVALID (wrong answer). */
  async check(captchaId: string, answer: string): Promise<void> {
    const rows = await this.db.$queryRaw<{ answer_hash: string; expired: boolean }[]>`
      DELETE FROM captchas WHERE id = ${captchaId}::uuid RETURNING answer_hash, expires_at < now() AS expired`;
    const row = rows[0];
    if (!row || row.expired) throw IdentityErrors.captchaExpired();
    if (this.testAnswer !== undefined && answer.trim().toLowerCase() === this.testAnswer) return;
    const expected = Buffer.from(row.answer_hash, 'hex');
    const given = Buffer.from(answerHash(answer), 'hex');
    if (!timingSafeEqual(expected, given)) throw IdentityErrors.captchaInvalid();
  }
}
