import { Injectable } from '@nestjs/common';

/**
 * The referrals service's time: requests, lead-time warnings, verification
 * and expiry all read it. Outside production with TEST_CLOCK, tests move it
 * (`PUT /internal/test/clock`) to see a letter expire without waiting for
 * its validUntil.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock so that now() reads `at` (and runs on from there). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}
