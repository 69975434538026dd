import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service.js';

/** DOMAIN.md: 5 failures within 15 minutes lock the account for 15 minutes, doubling on repeat. */
export const LOCKOUT = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15, maxLockMinutes: 24 * 60 };

/**
 * Failed-login bookkeeping per login name (national code + membership type),
 * kept whether or not such an account exists so the lockout cannot be used to
 * find out who is enrolled.
 */
@Injectable()
export class LoginThrottleService {
  constructor(private readonly db: PrismaService) {}

  /** Seconds until the lock ends, or 0 when not locked. */
  async lockedFor(nationalCode: string, membershipType: string): Promise<number> {
    const row = await this.db.loginThrottle.findUnique({ where: { nationalCode_membershipType: { nationalCode, membershipType } } });
    const remaining = row?.lockedUntil ? row.lockedUntil.getTime() - Date.now() : 0;
    return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
  }

  /** Counts a failure; returns the lock's length in seconds when this failure locks the account, else 0. */
  async recordFailure(nationalCode: string, membershipType: string): Promise<number> {
    const [row] = await this.db.$queryRaw<{ failures: number }[]>`
      INSERT INTO login_throttle (national_code, membership_type, failures, window_started_at, lock_count)
      VALUES (${nationalCode}, ${membershipType}, 1, now(), 0)
      ON CONFLICT (national_code, membership_type) DO UPDATE SET
        failures = CASE WHEN login_throttle.window_started_at < now() - make_interval(mins => ${LOCKOUT.windowMinutes})
                        THEN 1 ELSE login_throttle.failures + 1 END,
        window_started_at = CASE WHEN login_throttle.window_started_at < now() - make_interval(mins => ${LOCKOUT.windowMinutes})
                                 THEN now() ELSE login_throttle.window_started_at END
      RETURNING failures`;
    if ((row?.failures ?? 0) < LOCKOUT.maxFailures) return 0;
    const [locked] = await this.db.$queryRaw<{ seconds: number }[]>`
      UPDATE login_throttle SET
        locked_until = now() + make_interval(mins => LEAST(${LOCKOUT.lockMinutes} * power(2, lock_count), ${LOCKOUT.maxLockMinutes})::int),
        lock_count = lock_count + 1, failures = 0, window_started_at = now()
       WHERE national_code = ${nationalCode} AND membership_type = ${membershipType}
      RETURNING ceil(extract(epoch FROM locked_until - now()))::int AS seconds`;
    return locked?.seconds ?? LOCKOUT.lockMinutes * 60;
  }

  /** A successful login or password reset clears the record, so the next lock starts at 15 minutes again. */
  async clear(nationalCode: string, membershipType: string): Promise<void> {
    await this.db.loginThrottle.deleteMany({ where: { nationalCode, membershipType } });
  }
}
