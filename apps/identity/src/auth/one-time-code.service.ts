import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Topics, type MembershipType, type NotificationRequestedData } from '@darman/contracts';
import { EventPublisher } from '@darman/messaging';
import { APP_CONFIG, ROOT_LOGGER } from '@darman/platform';
import type { Logger } from 'pino';
import { DEVELOPMENT_OTP_HASH_KEY, type IdentityConfig } from '../config/identity.config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { IdentityErrors } from './auth.errors.js';

export type CodePurpose = 'ACTIVATION' | 'PASSWORD_RESET' | 'MOBILE_CHANGE';

/** DOMAIN.md: 6 digits, 2-minute lifetime, 5 attempts, stored hashed. */
export const CODE_LIFETIME_SECONDS = 120;
export const CODE_MAX_ATTEMPTS = 5;

const TEMPLATE: Record<CodePurpose, NotificationRequestedData['template']> = {
  ACTIVATION: 'ACTIVATION_CODE',
  PASSWORD_RESET: 'PASSWORD_RESET_CODE',
  MOBILE_CHANGE: 'ACTIVATION_CODE',
};

interface Owner {
  nationalCode: string;
  membershipType: MembershipType;
}

/**
 * One-time codes sent by SMS. The database keeps only an HMAC of the code
 * (keyed by OTP_HASH_KEY and bound to its owner, purpose and mobile); the code
 * itself exists only in the NotificationRequested event for the SMS gateway,
 * which is published directly rather than through the outbox so that it is
 * never written to the database.
 */
@Injectable()
export class OneTimeCodeService {
  private readonly key: string;

  constructor(
    private readonly db: PrismaService,
    private readonly publisher: EventPublisher,
    @Inject(APP_CONFIG) config: IdentityConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.key = config.OTP_HASH_KEY ?? DEVELOPMENT_OTP_HASH_KEY;
  }

  /** Replaces any pending code of this purpose with a new one and sends it to the mobile. */
  async send(owner: Owner, purpose: CodePurpose, mobile: string): Promise<void> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = randomUUID();
    await this.db.$transaction([
      this.db.oneTimeCode.updateMany({
        where: { nationalCode: owner.nationalCode, membershipType: owner.membershipType, purpose, consumedAt: null },
        data: { consumedAt: new Date() },
      }),
      this.db.oneTimeCode.create({
        data: {
          id,
          nationalCode: owner.nationalCode,
          membershipType: owner.membershipType,
          purpose,
          mobile,
          codeHash: this.hash(id, owner, purpose, mobile, code),
          expiresAt: new Date(Date.now() + CODE_LIFETIME_SECONDS * 1000),
        },
      }),
    ]);
    try {
      await this.publisher.publish(Topics.portalNotifications, {
        subject: mobile,
        eventType: 'NotificationRequested',
        data: { channel: 'SMS', to: mobile, template: TEMPLATE[purpose], params: { code, expiresInSeconds: CODE_LIFETIME_SECONDS } },
      });
    } catch (error) {
      // The caller's answer must not depend on whether a code was sent (it would reveal enrolment);
      // the member asks again once Kafka is back.
      this.logger.error({ err: error, purpose }, 'could not publish a one-time code notification');
    }
  }

  /**
   * Spends the newest pending code of this purpose when `code` matches it;
   * each try counts against the 5 attempts. Returns the mobile it was sent
   * to. Throws CODE_INVALID otherwise (wrong, expired, exhausted or none).
   */
  async consume(owner: Owner, purpose: CodePurpose, code: string, mobile?: string): Promise<string> {
    const rows = await this.db.$queryRaw<{ id: string; mobile: string; code_hash: string }[]>`
      UPDATE one_time_codes SET attempts = attempts + 1
       WHERE id = (SELECT id FROM one_time_codes
                    WHERE national_code = ${owner.nationalCode} AND membership_type = ${owner.membershipType} AND purpose = ${purpose}
                      AND consumed_at IS NULL
                    ORDER BY created_at DESC LIMIT 1)
         AND attempts < ${CODE_MAX_ATTEMPTS} AND expires_at > now() AND consumed_at IS NULL
      RETURNING id::text AS id, mobile, code_hash`;
    const row = rows[0];
    if (!row || (mobile !== undefined && row.mobile !== mobile)) throw IdentityErrors.codeInvalid();
    const expected = Buffer.from(row.code_hash, 'hex');
    const given = Buffer.from(this.hash(row.id, owner, purpose, row.mobile, code), 'hex');
    if (!timingSafeEqual(expected, given)) throw IdentityErrors.codeInvalid();
    const spent = await this.db.oneTimeCode.updateMany({ where: { id: row.id, consumedAt: null }, data: { consumedAt: new Date() } });
    if (spent.count !== 1) throw IdentityErrors.codeInvalid();
    return row.mobile;
  }

  private hash(id: string, owner: Owner, purpose: CodePurpose, mobile: string, code: string): string {
    return createHmac('sha256', this.key)
      .update([id, owner.nationalCode, owner.membershipType, purpose, mobile, code].join('|'))
      .digest('hex');
  }
}
