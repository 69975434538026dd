import { IsIn, IsUUID } from 'class-validator';
import { IsDateTimeWithOffset, IsNationalCode } from '../validators.js';
import { MEMBERSHIP_TYPES, type MembershipType } from './members.events.js';

/** Why a portal session ended before its refresh token expired. */
export const SESSION_REVOCATION_REASONS = ['LOGOUT', 'REUSE_DETECTED', 'PASSWORD_CHANGED', 'PASSWORD_RESET'] as const;
export type SessionRevocationReason = (typeof SESSION_REVOCATION_REASONS)[number];

/**
 * A session (refresh-token family) has ended: every access token carrying its
 * id (`sid`) is refused from now on, by the gateway and by every service,
 * although it has not expired. Published by identity; every process that
 * verifies access tokens reads the whole topic into memory (a group of its
 * own per process), so a revocation reaches all replicas within a second.
 */
export class SessionRevokedData {
  @IsUUID() sessionId!: string;
  @IsNationalCode() nationalCode!: string;
  @IsIn(MEMBERSHIP_TYPES) membershipType!: MembershipType;
  @IsIn(SESSION_REVOCATION_REASONS) reason!: SessionRevocationReason;
  @IsDateTimeWithOffset() revokedAt!: string;
}
