import { BaseRpcContext } from '@nestjs/microservices';
import type { EventErrorCode } from '@darman/contracts';
import type { SqlExecutor } from '../sql.js';

/** Thrown by a handler to refuse one event (it goes to the DLQ with this code); the rest of the batch applies. */
export class RejectEventError extends Error {
  constructor(
    readonly code: EventErrorCode | string,
    message: string,
  ) {
    super(message);
    this.name = 'RejectEventError';
  }
}

/** An event a handler found invalid against state (this batch's or an earlier one's): it leaves the event store for the DLQ. */
export interface HandlerRejection {
  eventId: string;
  code: string;
  message: string;
}

/**
 * What an `@EventPattern` handler gets as `@Ctx()`: the database transaction
 * that also records the batch in the inbox (and commits before the offsets),
 * and a way to refuse events against state. Handlers of one batch share it.
 */
export class EventBatchContext extends BaseRpcContext<[SqlExecutor, HandlerRejection[], string]> {
  constructor(tx: SqlExecutor, group: string) {
    super([tx, [], group]);
  }

  /** The batch's transaction. */
  get tx(): SqlExecutor {
    return this.args[0];
  }

  /** The consumer group (one per service). */
  get group(): string {
    return this.args[2];
  }

  /** Refuses events: they are removed from the inbox in this transaction and written to the DLQ after it commits. */
  reject(...rejections: HandlerRejection[]): void {
    this.args[1].push(...rejections);
  }

  get rejections(): readonly HandlerRejection[] {
    return this.args[1];
  }
}
