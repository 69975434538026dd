import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isEventType, topicOfEventType, type ContractEvent } from '@darman/contracts';
import type { ReadinessRegistry } from '@darman/platform';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ConsumedEvent } from '../inbox.js';
import { trackConsumerGroup } from '../metrics.js';
import { ensureProjectionVersion, projectionLockKey, type RebuildableProjection } from '../projection.js';
import type { SqlExecutor, TransactionalDb } from '../sql.js';
import type { TopicNamer } from '../topic-namer.js';
import { BatchApplier } from './batch-applier.js';
import { EventBatchContext, type HandlerRejection } from './batch-context.js';
import { DlqWriter } from './dlq-writer.js';
import { FetchLoop } from './fetch-loop.js';
import type { EventPublisher } from './publisher.js';

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  namer: TopicNamer;
  /** Writes the DLQ. */
  publisher: EventPublisher;
  /** The consumer's own connections to the service's database (the inbox, and the handlers' transaction). */
  db: TransactionalDb;
  groupId: string;
  logger: Logger;
  readiness?: ReadinessRegistry;
  sessionTimeoutMs?: number;
  /** Messages applied per database transaction (default 500). */
  maxBatchSize?: number;
  /** Read models the handlers keep: brought to the code's version before consuming, and never interleaved with a rebuild. */
  projections?: RebuildableProjection[];
}

/** The handlers of one `@EventPattern` method: every event type it names, called once per batch with all of them. */
interface HandlerGroup {
  eventTypes: Set<string>;
  handler: MessageHandler;
}

/**
 * A NestJS transport for Kafka that hands each `@EventPattern` handler a
 * whole validated batch inside one database transaction. Patterns are event
 * types of the contract (`@EventPattern(['ClaimRegistered', …])`); the
 * consumer group subscribes to the topics that carry them. Per chunk of a
 * partition: invalid messages go to the DLQ, valid ones are recorded in the
 * inbox (duplicates dropped) and passed to the handlers as `@Payload()`
 * (typed `ContractEvent`s) with `@Ctx()` an EventBatchContext (the
 * transaction; `reject` for events invalid against state), then the
 * transaction commits, then the offsets. Nest's built-in `ServerKafka`
 * handles one message at a time, which is why this transport is custom.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  override readonly propagatesEventHandlerErrors = true;
  private groups: HandlerGroup[] = [];
  private loop?: FetchLoop;
  private starting?: Promise<void>;
  private readonly group: string;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.group = options.namer.group(options.groupId);
  }

  /** The physical topics this group consumes (after `listen`). */
  get topics(): string[] {
    const topics = new Set(this.groups.flatMap((g) => [...g.eventTypes].map((type) => topicOfEventType(type)!)));
    return [...topics].map((topic) => this.options.namer.topic(topic));
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    try {
      this.groups = this.handlerGroups();
    } catch (error) {
      callback(error);
      return;
    }
    const { kafka, logger, publisher, db, namer, readiness, projections = [] } = this.options;
    const applier = new BatchApplier({
      group: this.group,
      namer,
      db,
      logger,
      dlq: new DlqWriter(publisher, this.group, logger),
      dispatch: (events, tx) => this.dispatch(events, tx),
    });
    const loop = new FetchLoop({
      kafka,
      group: this.group,
      topics: this.topics,
      logger,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      maxBatchSize: this.options.maxBatchSize,
      process: (origin, messages, alive) => applier.apply(origin, messages, alive),
    });
    this.loop = loop;
    trackConsumerGroup(this.group, this.topics);
    readiness?.register(`consumer:${this.group}`, async () => loop.readiness());
    // HTTP health answers meanwhile: the rebuild and the broker are waited for in the background.
    this.starting = (async () => {
      for (const projection of projections) await ensureProjectionVersion(db, projection, logger);
      loop.start();
    })();
    callback();
  }

  /** Lets the chunk in flight commit and leaves the group (the module that made the database connections closes them after). */
  async close(): Promise<void> {
    await this.starting;
    await this.loop?.stop();
  }

  on(): never {
    throw new Error('KafkaBatchServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.loop as T;
  }

  /** Runs every handler whose patterns match events of the batch, in registration order, in the batch's transaction. */
  private async dispatch(events: ConsumedEvent[], tx: SqlExecutor): Promise<HandlerRejection[]> {
    // A rebuild holds these locks exclusively: batches wait for it instead of interleaving with it.
    for (const projection of this.options.projections ?? []) {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock_shared($1)', projectionLockKey(projection));
    }
    const context = new EventBatchContext(tx, this.group);
    for (const { eventTypes, handler } of this.groups) {
      const mine: ContractEvent[] = [];
      for (const { event } of events) if (eventTypes.has(event.eventType)) mine.push(event as unknown as ContractEvent);
      if (mine.length === 0) continue;
      const result: unknown = await handler(mine, context);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    }
    return [...context.rejections];
  }

  /**
   * Nest registers a method once per pattern it names, all with the method's
   * one `extras` object: the patterns sharing it are one handler, called once
   * per batch with the events of all its types.
   */
  private handlerGroups(): HandlerGroup[] {
    const groups = new Map<object, HandlerGroup>();
    for (const [pattern, handler] of this.messageHandlers) {
      if (!isEventType(pattern)) throw new Error(`@EventPattern('${pattern}') is not an event type of the contract (libs/contracts)`);
      if (!handler.isEventHandler) throw new Error(`${pattern}: Kafka events take @EventPattern, not @MessagePattern`);
      if (handler.next) throw new Error(`${pattern} has more than one @EventPattern handler in this service`);
      const key = handler.extras ?? handler;
      const group = groups.get(key) ?? { eventTypes: new Set<string>(), handler };
      group.eventTypes.add(pattern);
      groups.set(key, group);
    }
    return [...groups.values()];
  }
}
