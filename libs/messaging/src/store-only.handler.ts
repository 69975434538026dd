import { Injectable } from '@nestjs/common';
import type { EventHandler } from './consumer.module.js';

/**
 * For a consumer whose read model has not landed yet: the consumer base
 * already validated the events, dropped duplicates and stored them in the
 * inbox (the event store); there is nothing more to apply.
 */
@Injectable()
export class StoreOnlyHandler implements EventHandler {
  async handle(): Promise<void> {}
}
