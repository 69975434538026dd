import type { ContractEvent, EventType, ValidEvent } from '@darman/contracts';
import { compareStoredEvents, type StoredEvent } from './history.js';
import type { SqlExecutor } from './sql.js';

/** A validated event with where it came from. */
export interface ConsumedEvent<TData extends object = Record<string, unknown>> {
  event: ValidEvent<TData>;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The inbox table each consuming service has (see its schema.prisma): every
 * accepted event, keyed by consumer group and eventId. Inserting into it in
 * the handler's transaction is what makes redelivery harmless, and it is the
 * stored event history read models can be rebuilt from.
 */
export const INBOX_TABLE = 'inbox_events';

/**
 * Records the events in the inbox inside `tx` and returns those not seen
 * before (first occurrence wins within the batch too), in their input order.
 */
export async function claimNewEvents(tx: SqlExecutor, group: string, events: ConsumedEvent[]): Promise<ConsumedEvent[]> {
  if (events.length === 0) return [];
  const rows = events.map((c) => ({
    event_id: c.event.eventId,
    topic: c.topic,
    partition: c.partition,
    offset: c.offset,
    event_type: c.event.eventType,
    subject: c.event.subject,
    sequence: c.event.sequence ?? null,
    occurred_at: c.event.occurredAt,
    envelope: c.event,
  }));
  const inserted = await tx.$queryRawUnsafe<{ event_id: string }[]>(
    `INSERT INTO ${INBOX_TABLE} (consumer_group, event_id, topic, "partition", "offset", event_type, subject, "sequence", occurred_at, envelope)
     SELECT $1, r.event_id, r.topic, r.partition, r.offset, r.event_type, r.subject, r.sequence, r.occurred_at, r.envelope
       FROM jsonb_to_recordset($2::jsonb) AS r(event_id uuid, topic text, "partition" int, "offset" bigint, event_type text,
                                              subject text, "sequence" bigint, occurred_at timestamptz, envelope jsonb)
     ON CONFLICT (consumer_group, event_id) DO NOTHING
     RETURNING event_id::text AS event_id`,
    group,
    JSON.stringify(rows),
  );
  const fresh = new Set(inserted.map((r) => r.event_id));
  const seen = new Set<string>();
  return events.filter((c) => {
    if (!fresh.has(c.event.eventId) || seen.has(c.event.eventId)) return false;
    seen.add(c.event.eventId);
    return true;
  });
}

/**
 * Every stored event of the given types for the given subjects (once per
 * eventId, whatever consumer group stored it), sorted per compareStoredEvents.
 * Projections fold these to the current state, which makes them tolerant of
 * out-of-order delivery and lets a read model be rebuilt from the inbox.
 */
export async function loadSubjectHistory<E extends EventType>(
  tx: SqlExecutor,
  eventTypes: readonly E[],
  subjects: readonly string[],
): Promise<StoredEvent<ContractEvent<E>>[]> {
  if (subjects.length === 0) return [];
  // One index probe per subject, whatever the table's statistics say: a `subject = ANY(...)` over a
  // large batch was planned as a parallel scan of the whole event store while a fresh table had no
  // statistics yet (every consumer starting on a backlog). OFFSET 0 keeps the subquery from being
  // flattened into a join the planner could turn back into a scan.
  // The inbox only ever holds events validated against the contract, of the types asked for.
  const rows = await tx.$queryRawUnsafe<{ event_id: string; envelope: ContractEvent<E>; received_at: Date; offset: string }[]>(
    `SELECT e.event_id::text AS event_id, e.envelope, e.received_at, e."offset"::text AS "offset"
       FROM unnest($1::text[]) AS s(subject)
       CROSS JOIN LATERAL (SELECT event_id, envelope, received_at, "offset" FROM ${INBOX_TABLE} i
                            WHERE i.subject = s.subject AND i.event_type = ANY($2::text[]) OFFSET 0) e`,
    [...new Set(subjects)],
    [...eventTypes],
  );
  // Several consumer groups may have stored the same event: keep one.
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.event_id) && seen.add(r.event_id));
  return unique
    .map((r) => ({
      event: r.envelope,
      occurredAtMs: Date.parse(r.envelope.occurredAt),
      receivedAt: new Date(r.received_at),
      offset: r.offset,
    }))
    .sort(compareStoredEvents);
}
