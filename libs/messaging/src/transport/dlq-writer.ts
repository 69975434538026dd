import { DlqHeaders, dlqTopic } from '@darman/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { groupBy } from '../history.js';
import { consumedMessages, consumerFailures, dlqMessages } from '../metrics.js';
import { sleep } from '../topic-namer.js';
import type { EventPublisher } from './publisher.js';

/** A message bound for the DLQ of `topic` (the contract topic name), with where it came from and why. */
export interface DlqEntry {
  topic: string;
  /** The physical topic and partition it was read from. */
  origin: { topic: string; partition: number };
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'offset'>;
  error: { code: string; message: string };
}

export const MAX_BACKOFF_MS = 5_000;

/**
 * Writes refused messages to `<topic>.dlq`: the original key, value and
 * headers plus the reason and the original coordinates (EVENTS.md headers,
 * and `x-consumer-group` since one topic may have several consuming services).
 */
export class DlqWriter {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly group: string,
    private readonly logger: Logger,
  ) {}

  /** One send per DLQ topic, retried until it succeeds; false when it gave up because the consumer is stopping. */
  async write(entries: DlqEntry[], alive: () => boolean): Promise<boolean> {
    for (const [topic, group] of groupBy(entries, (e) => e.topic)) {
      const messages = group.map(({ origin, message, error }) => ({
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DlqHeaders.errorCode]: error.code,
          [DlqHeaders.errorMessage]: error.message.slice(0, 1000),
          [DlqHeaders.originalTopic]: origin.topic,
          [DlqHeaders.originalPartition]: String(origin.partition),
          [DlqHeaders.originalOffset]: message.offset,
          [DlqHeaders.consumerGroup]: this.group,
        } as IHeaders,
      }));
      for (let delay = 100; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
        try {
          await this.publisher.sendRaw(dlqTopic(topic), messages);
          break;
        } catch (sendError) {
          consumerFailures.inc({ group: this.group, topic, kind: 'transient' });
          this.logger.warn({ err: sendError }, 'could not write to DLQ; retrying');
          if (!alive()) return false;
          await sleep(delay);
        }
      }
      for (const { message, error } of group) {
        dlqMessages.inc({ group: this.group, topic, code: error.code });
        consumedMessages.inc({ group: this.group, topic, result: 'dlq' });
        this.logger.warn({ topic, offset: message.offset, code: error.code, reason: error.message }, 'message sent to DLQ');
      }
    }
    return true;
  }
}
