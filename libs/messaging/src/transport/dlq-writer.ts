import { createHash } from 'node:crypto';
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
 * The most one DLQ send carries: under the broker's default `max.message.bytes`
 * (1 MiB and a little), with room for the record batch's own framing. A
 * refused message that would not fit with its DLQ headers is copied
 * truncated, so one oversized message cannot block the DLQ write (and the
 * partition behind it) forever.
 */
export const MAX_DLQ_BATCH_BYTES = 900 * 1024;
/** What a truncated copy keeps of the original value. */
export const TRUNCATED_VALUE_BYTES = 64 * 1024;

type DlqMessage = { key: Buffer | null; value: Buffer | null; headers: IHeaders };

function headerBytes(headers: IHeaders): number {
  let n = 0;
  for (const [k, v] of Object.entries(headers))
    n += k.length + (v === undefined ? 0 : Array.isArray(v) ? v.reduce((a, x) => a + x.length, 0) : v.length);
  return n;
}

const sizeOf = (m: DlqMessage) => (m.key?.length ?? 0) + (m.value?.length ?? 0) + headerBytes(m.headers) + 64;

/** The message as the DLQ can hold it: whole when it fits, else its first bytes with its size and SHA-256. */
export function fitForDlq(message: DlqMessage, dlqHeaders: Record<string, string>): DlqMessage {
  const whole = { ...message, headers: { ...message.headers, ...dlqHeaders } };
  if (sizeOf(whole) <= MAX_DLQ_BATCH_BYTES) return whole;
  const value = message.value ?? Buffer.alloc(0);
  return {
    key: message.key && message.key.length <= 1024 ? message.key : (message.key?.subarray(0, 1024) ?? null),
    value: value.subarray(0, TRUNCATED_VALUE_BYTES),
    headers: {
      ...dlqHeaders,
      [DlqHeaders.truncated]: 'true',
      [DlqHeaders.originalSize]: String(value.length),
      [DlqHeaders.originalSha256]: createHash('sha256').update(value).digest('hex'),
    },
  };
}

/** Splits messages into sends that each stay under MAX_DLQ_BATCH_BYTES. */
export function dlqBatches(messages: DlqMessage[]): DlqMessage[][] {
  const batches: DlqMessage[][] = [];
  let current: DlqMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = sizeOf(m);
    if (current.length > 0 && bytes + size > MAX_DLQ_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

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
      const messages = group.map(({ origin, message, error }) =>
        fitForDlq(
          { key: message.key, value: message.value, headers: (message.headers ?? {}) as IHeaders },
          {
            [DlqHeaders.errorCode]: error.code,
            [DlqHeaders.errorMessage]: error.message.slice(0, 1000),
            [DlqHeaders.originalTopic]: origin.topic,
            [DlqHeaders.originalPartition]: String(origin.partition),
            [DlqHeaders.originalOffset]: message.offset,
            [DlqHeaders.consumerGroup]: this.group,
          },
        ),
      );
      for (const batch of dlqBatches(messages)) {
        for (let delay = 100; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
          try {
            await this.publisher.sendRaw(dlqTopic(topic), batch);
            break;
          } catch (sendError) {
            consumerFailures.inc({ group: this.group, topic, kind: 'transient' });
            this.logger.warn({ err: sendError }, 'could not write to DLQ; retrying');
            if (!alive()) return false;
            await sleep(delay);
          }
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
