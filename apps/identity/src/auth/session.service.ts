import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { MembershipType, TokenPairDto } from '@darman/contracts';
import { APP_CONFIG } from '@darman/platform';
import type { IdentityConfig } from '../config/identity.config.js';
import { AccountsRepository } from '../accounts/accounts.repository.js';
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
  async revokeAll(accountId: string, reason: string, keepFamilyId?: string): Promise<void> {
    await this.db.refreshFamily.updateMany({
      where: { accountId, revokedAt: null, ...(keepFamilyId ? { id: { not: keepFamilyId } } : {}) },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
  }

  private async revokeFamily(familyId: string, reason: string): Promise<void> {
    await this.db.refreshFamily.updateMany({
      where: { id: familyId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
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
