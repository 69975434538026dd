import { ACCESS_TOKEN } from './caller.js';

/**
 * Sessions that ended (logout, password change or reset, a reused refresh
 * token), held in memory by every process that verifies access tokens. A
 * session's access tokens live at most `ACCESS_TOKEN.lifetimeSeconds` after
 * their issue, and every one was issued before the session ended, so an entry
 * can go once that long (plus a minute of clock skew) has passed since the
 * revocation: no valid token of that session is left. Checking is a map
 * lookup; there is no database call per request.
 */
export class RevokedSessions {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keepMs = (ACCESS_TOKEN.lifetimeSeconds + 60) * 1000,
  ) {}

  revoke(sessionId: string, revokedAtMs: number): void {
    const until = revokedAtMs + this.keepMs;
    if (until <= this.now()) return;
    if ((this.until.get(sessionId) ?? 0) >= until) return;
    this.until.delete(sessionId);
    this.until.set(sessionId, until);
    this.prune();
  }

  has(sessionId: string): boolean {
    const until = this.until.get(sessionId);
    return until !== undefined && until > this.now();
  }

  get size(): number {
    return this.until.size;
  }

  /** Drops the entries whose tokens have all expired; insertion order is close to revocation order. */
  private prune(): void {
    const now = this.now();
    for (const [sessionId, until] of this.until) {
      if (until > now) break;
      this.until.delete(sessionId);
    }
  }
}
