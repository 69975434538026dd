import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Topics, type MembershipType, type SessionRevocationReason, type TokenPairDto } from '@darman/contracts';
import { addToOutbox, OutboxRelay } from '@darman/messaging';
import { APP_CONFIG } from '@darman/platform';
import type { IdentityConfig } from '../config/identity.config.js';
import { AccountsRepository } from '../accounts/accounts.repository.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { IdentityErrors } from './auth.errors.js';
import { SigningKeysService } from './signing-keys.service.js';

/** DOMAIN.md: `rememberMe` → 30 days, otherwise 12 hours. */
export const REFRESH_LIFETIME_SECONDS = { remembered: 30 * 24 * 3600, session: 12 * 3600 };

export interface SessionOwner {
  id: string;
  nationalCode: string;
  membershipType: string;
}

const SESSION_SOURCE = 'darman-identity';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions: a refresh-token family per login. Refresh tokens are 256-bit
 * random strings stored only as SHA-256; every refresh spends the presented
 * token and issues the next one in the family. Presenting a spent token means
 * it was copied: the whole family is revoked.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly db: PrismaService,
    private readonly accounts: AccountsRepository,
    private readonly keys: SigningKeysService,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {}

  async start(account: SessionOwner, rememberMe: boolean): Promise<TokenPairDto> {
    const familyId = randomUUID();
    await this.db.refreshFamily.create({ data: { id: familyId, accountId: account.id, rememberMe } });
    return this.issue(account, familyId, rememberMe);
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const hash = tokenHash(refreshToken);
    const spent = await this.db.$queryRaw<{ family_id: string }[]>`
      UPDATE refresh_tokens SET spent_at = now()
       WHERE token_hash = ${hash} AND spent_at IS NULL AND expires_at > now()
      RETURNING family_id::text AS family_id`;
    if (spent.length === 0) {
      const known = await this.db.refreshToken.findUnique({ where: { tokenHash: hash } });
      if (known?.spentAt) {
        await this.revokeFamily(known.familyId, 'REUSE_DETECTED');
        throw IdentityErrors.refreshTokenReused();
      }
      throw IdentityErrors.refreshTokenInvalid();
    }
    const family = await this.db.refreshFamily.findUnique({ where: { id: spent[0]!.family_id } });
    if (!family || family.revokedAt) throw IdentityErrors.refreshTokenInvalid();
    const account = await this.accounts.findById(family.accountId);
    if (!account) throw IdentityErrors.refreshTokenInvalid();
    return this.issue(account, family.id, family.rememberMe);
  }

  /** Ends the session the token belongs to (spent or not); unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    const known = await this.db.refreshToken.findUnique({ where: { tokenHash: tokenHash(refreshToken) } });
    if (known) await this.revokeFamily(known.familyId, 'LOGOUT');
  }

  /** Ends every session of the account, except `keepFamilyId` when given. */
  async revokeAll(accountId: string, reason: SessionRevocationReason, keepFamilyId?: string): Promise<void> {
    await this.revoke(
      Prisma.sql`f.account_id = ${accountId}::uuid${keepFamilyId ? Prisma.sql` AND f.id <> ${keepFamilyId}::uuid` : Prisma.empty}`,
      reason,
    );
  }

  private revokeFamily(familyId: string, reason: SessionRevocationReason): Promise<void> {
    return this.revoke(Prisma.sql`f.id = ${familyId}::uuid`, reason);
  }

  /**
   * Marks the families revoked and, in the same transaction, publishes a
   * SessionRevoked for each through the outbox: the gateway and every service
   * then refuse the session's access tokens at once, although they have not
   * expired (libs/access RevokedSessions).
   */
  private async revoke(families: Prisma.Sql, reason: SessionRevocationReason): Promise<void> {
    const revoked = await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; revoked_at: Date; national_code: string; membership_type: MembershipType }[]>`
        UPDATE refresh_families f SET revoked_at = now(), revoked_reason = ${reason}
          FROM accounts a
         WHERE a.id = f.account_id AND f.revoked_at IS NULL AND ${families}
        RETURNING f.id::text AS id, f.revoked_at, a.national_code, a.membership_type`;
      for (const row of rows) {
        await addToOutbox(
          tx,
          Topics.portalSessions,
          {
            subject: row.id,
            eventType: 'SessionRevoked',
            data: {
              sessionId: row.id,
              nationalCode: row.national_code,
              membershipType: row.membership_type,
              reason,
              revokedAt: row.revoked_at.toISOString(),
            },
          },
          SESSION_SOURCE,
        );
      }
      return rows.length;
    });
    if (revoked > 0) this.relay.kick();
  }

  private async issue(account: SessionOwner, familyId: string, rememberMe: boolean): Promise<TokenPairDto> {
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresIn = rememberMe ? REFRESH_LIFETIME_SECONDS.remembered : REFRESH_LIFETIME_SECONDS.session;
    await this.db.refreshToken.create({
      data: { tokenHash: tokenHash(refreshToken), familyId, expiresAt: new Date(Date.now() + refreshExpiresIn * 1000) },
    });
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const accessToken = await this.keys.sign(
      { nationalCode: account.nationalCode, membershipType: account.membershipType as MembershipType, sessionId: familyId },
      expiresIn,
    );
    return { accessToken, expiresIn, refreshToken, refreshExpiresIn, tokenType: 'Bearer' };
  }
}
