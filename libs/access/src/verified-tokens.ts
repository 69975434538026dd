import type { Caller } from './caller.js';

/**
 * Access tokens already verified, with whose they are, until they expire.
 * A token is a signed, immutable statement valid until its `exp`: verifying it
 * again before then gives the same caller, so the signature check (the largest
 * CPU cost of an authenticated request) runs once per token, not per request.
 * An expired token is never answered from here; it goes back to the verifier,
 * which refuses it. Bounded: the oldest entries go first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { caller: Caller; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): Caller | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.expiresAtMs) return entry.caller;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, caller: Caller, expiresAtSeconds: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { caller, expiresAtMs: expiresAtSeconds * 1000 });
  }

  get size(): number {
    return this.entries.size;
  }
}
