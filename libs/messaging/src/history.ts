import type { ContractEvent } from '@darman/contracts';

/** What the event store keeps of every event: the envelope fields its order depends on. */
export interface StoredEnvelope {
  eventId: string;
  eventType: string;
  subject: string;
  sequence?: number;
  occurredAt: string;
}

/** One stored event of a subject's history, in the order it should be applied. */
export interface StoredEvent<E extends StoredEnvelope = ContractEvent> {
  event: E;
  /** `event.occurredAt` parsed once, for sorting. */
  occurredAtMs: number;
  receivedAt: Date;
  offset: string;
}

/**
 * The order events of one subject are applied in, whatever order they
 * arrived in: by `sequence` when both carry one (EVENTS.md: a lower sequence
 * never overwrites newer state), otherwise by `occurredAt`, then by arrival.
 */
export function compareStoredEvents(a: StoredEvent<StoredEnvelope>, b: StoredEvent<StoredEnvelope>): number {
  const sa = a.event.sequence;
  const sb = b.event.sequence;
  if (sa !== undefined && sa !== null && sb !== undefined && sb !== null && sa !== sb) return sa - sb;
  const ta = a.occurredAtMs;
  const tb = b.occurredAtMs;
  if (ta !== tb) return ta - tb;
  return a.receivedAt.getTime() - b.receivedAt.getTime() || Number(a.offset) - Number(b.offset);
}

/** Groups stored events by a key (e.g. subject), keeping their order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The last event, in application order, of each subject of a sorted history: the state of "latest wins" projections. */
export function latestBySubject<E extends StoredEnvelope>(history: readonly StoredEvent<E>[]): E[] {
  return [...groupBy(history, (h) => h.event.subject).values()].map((list) => list[list.length - 1]!.event);
}

/** Subjects of the events of these types. */
export function subjectsOf(events: readonly StoredEnvelope[], eventTypes: readonly string[]): string[] {
  return events.filter((e) => eventTypes.includes(e.eventType)).map((e) => e.subject);
}
