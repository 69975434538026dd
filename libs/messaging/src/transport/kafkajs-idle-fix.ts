import { createRequire } from 'node:module';

interface RequestQueueInternals {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own interval for re-checking requests it holds back (requestQueue/index.js). */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
let patched = false;

/**
 * kafkajs 2.2.4 re-arms a timer with a negative delay whenever its request
 * queue has nothing pending and no throttle (tulios/kafkajs#1556, #1704; the
 * fix in #1667 was never released). Every broker connection then spins at
 * about 1,000 timer wake-ups a second: an idle service spent ~5% of a core on
 * it, all services together a tenth of this two-core machine. This replaces
 * the method with the released one plus that fix: with nothing pending and
 * no throttle there is nothing to check, and a new request re-arms the check
 * itself (push → scheduleCheckPendingRequests). Idempotent.
 */
export function patchKafkajsIdleLoop(): void {
  if (patched) return;
  const require = createRequire(import.meta.url);
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals) {
    if (this.throttleCheckTimeoutId) return;
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    else if (scheduleAt <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, scheduleAt);
  };
  patched = true;
}
