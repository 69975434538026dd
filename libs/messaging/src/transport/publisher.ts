import { randomUUID } from 'node:crypto';
import { EventErrorCode, validateEventObject, type NewEvent, type TopicName, type ValidEvent } from '@darman/contracts';
import type { Kafka, Message, Producer } from 'kafkajs';
import { TopicNamer } from '../topic-namer.js';

/** A producer was asked to send an event that breaks the contract; nothing was sent. */
export class InvalidEventError extends Error {
  constructor(
    readonly code: EventErrorCode,
    readonly reason: string,
  ) {
    super(`refusing to publish an invalid event (${code}): ${reason}`);
    this.name = 'InvalidEventError';
  }
}

/**
 * Fills in the envelope fields a producer may leave out and validates the
 * whole event against the topic's contract; throws InvalidEventError.
 */
export function buildEvent(topic: TopicName, event: NewEvent, source: string): ValidEvent {
  const full = {
    eventId: event.eventId ?? randomUUID(),
    eventVersion: event.eventVersion ?? 1,
    occurredAt: event.occurredAt ?? new Date().toISOString(),
    source: event.source ?? source,
    ...event,
  };
  const result = validateEventObject(topic, JSON.parse(JSON.stringify(full)));
  if (!result.ok) throw new InvalidEventError(result.code, result.message);
  return result.event;
}

export interface PublishOptions {
  headers?: Record<string, string>;
}

/** The only way Darman code sends events: validated, keyed by subject, acks from all replicas. */
export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;
  private connecting?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly source: string,
    readonly namer: TopicNamer = new TopicNamer(),
  ) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    this.connecting ??= this.producer
      .connect()
      .then(() => {
        this.connected = true;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    await this.connecting;
  }

  /** Validates and sends one event; returns the event as sent. */
  async publish(topic: TopicName, event: NewEvent, options: PublishOptions = {}): Promise<ValidEvent> {
    const valid = buildEvent(topic, event, this.source);
    await this.sendRaw(topic, [toMessage(valid, options.headers)]);
    return valid;
  }

  /** Validates every event first; sends none if one is invalid. */
  async publishMany(topic: TopicName, events: NewEvent[]): Promise<ValidEvent[]> {
    const valid = events.map((e) => buildEvent(topic, e, this.source));
    await this.sendRaw(
      topic,
      valid.map((e) => toMessage(e)),
    );
    return valid;
  }

  /** Sends already-validated messages (outbox relay, DLQ); `topic` is the contract name or a DLQ name. */
  async sendRaw(topic: string, messages: Message[]): Promise<void> {
    await this.ensureConnected();
    await this.producer.send({ topic: this.namer.topic(topic), messages, acks: -1 });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
    this.connected = false;
  }
}

export function toMessage(event: ValidEvent, headers: Record<string, string> = {}): Message {
  return {
    key: event.subject,
    value: JSON.stringify(event),
    headers: { 'content-type': 'application/json', 'x-event-type': event.eventType, ...headers },
  };
}
