import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Topics } from '@darman/contracts';
import { addToOutbox, type TransactionalDb } from '@darman/messaging';
import { APP_CONFIG, DATABASE, ROOT_LOGGER } from '@darman/platform';
import { tehranDate } from '@darman/persian';
import type { Logger } from 'pino';
import type { ReferralsConfig } from '../config/referrals.config.js';
import { SOURCE } from '../decisions/referral-decisions.js';
import { Clock } from '../referrals/clock.js';
import { expire } from '../referrals/referral-state.js';
import { ReferralsRepository } from '../referrals/referrals.repository.js';

const BATCH = 500;

/**
 * Turns approved letters EXPIRED the day after their validUntil (Tehran) and
 * publishes ReferralExpired through the outbox. Safe with several replicas:
 * each run locks the rows it takes (`FOR UPDATE SKIP LOCKED`), so two
 * replicas never expire the same letter, and a letter is expired and
 * announced in one transaction.
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(DATABASE) private readonly db: TransactionalDb,
    @Inject(APP_CONFIG) private readonly config: ReferralsConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly referrals: ReferralsRepository,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce();
    try {
      const expired = await this.running;
      if (expired > 0) this.logger.info({ expired }, 'referral letters expired');
    } catch (error) {
      this.logger.error({ err: error }, 'referral expiry failed; next run retries');
    } finally {
      this.running = undefined;
    }
  }

  /** Expires every letter due now; returns how many. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.clock.now();
      const count = await this.db.$transaction(async (tx) => {
        const due = await this.referrals.dueForExpiry(tx, tehranDate(now), BATCH);
        for (const record of due) {
          const next = expire(record.state, now);
          // Same day and rule as dueForExpiry's query, so never null here; the check narrows the type.
          if (!next) continue;
          await this.referrals.saveState(tx, record.trackingCode, next, record.approvedProviderName);
          await addToOutbox(
            tx,
            Topics.portalReferrals,
            {
              eventType: 'ReferralExpired',
              subject: record.trackingCode,
              data: { trackingCode: record.trackingCode, validUntil: next.validUntil! },
            },
            SOURCE,
          );
        }
        return due.length;
      });
      total += count;
      if (count < BATCH) return total;
    }
  }
}
