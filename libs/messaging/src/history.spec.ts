// The order a subject's stored events apply in (EVENTS.md), which every "latest wins" projection relies on.
import { compareStoredEvents, groupBy, latestBySubject, subjectsOf, type StoredEnvelope, type StoredEvent } from './history.js';

const stored = (
  subject: string,
  id: string,
  opts: { sequence?: number; at: string; received?: number; offset?: number },
): StoredEvent<StoredEnvelope> => ({
  event: { eventId: id, eventType: 'ProviderUpserted', subject, sequence: opts.sequence, occurredAt: opts.at },
  occurredAtMs: Date.parse(opts.at),
  receivedAt: new Date(opts.received ?? 0),
  offset: String(opts.offset ?? 0),
});
const order = (events: StoredEvent<StoredEnvelope>[]) => [...events].sort(compareStoredEvents).map((e) => e.event.eventId);

describe('stored event order', () => {
  it('follows sequence when both events carry one, even against their occurredAt', () => {
    expect(
      order([stored('p', 'b', { sequence: 2, at: '2026-01-01T00:00:00Z' }), stored('p', 'a', { sequence: 1, at: '2026-02-01T00:00:00Z' })]),
    ).toEqual(['a', 'b']);
  });

  it('falls back to occurredAt when either one has no sequence, whichever comes first', () => {
    const late = stored('p', 'b', { sequence: 1, at: '2026-02-01T00:00:00Z' });
    const early = stored('p', 'a', { at: '2026-01-01T00:00:00Z' });
    expect(order([late, early])).toEqual(['a', 'b']);
    expect(order([early, late])).toEqual(['a', 'b']);
    const lateNoSequence = stored('p', 'd', { at: '2026-02-01T00:00:00Z' });
    const earlyWithSequence = stored('p', 'c', { sequence: 9, at: '2026-01-01T00:00:00Z' });
    expect(order([lateNoSequence, earlyWithSequence])).toEqual(['c', 'd']);
    expect(order([earlyWithSequence, lateNoSequence])).toEqual(['c', 'd']);
  });

  it('falls back to occurredAt when one has no sequence or both have the same', () => {
    expect(
      order([stored('p', 'b', { sequence: 1, at: '2026-02-01T00:00:00Z' }), stored('p', 'a', { at: '2026-01-01T00:00:00Z' })]),
    ).toEqual(['a', 'b']);
    expect(
      order([stored('p', 'b', { sequence: 3, at: '2026-02-01T00:00:00Z' }), stored('p', 'a', { sequence: 3, at: '2026-01-01T00:00:00Z' })]),
    ).toEqual(['a', 'b']);
  });

  it('falls back to arrival, then to the offset, for events of the same instant', () => {
    const at = '2026-01-01T00:00:00Z';
    expect(order([stored('p', 'b', { at, received: 2 }), stored('p', 'a', { at, received: 1 })])).toEqual(['a', 'b']);
    expect(order([stored('p', 'b', { at, received: 1, offset: 9 }), stored('p', 'a', { at, received: 1, offset: 3 })])).toEqual(['a', 'b']);
  });

  it('takes the last event of each subject of a sorted history', () => {
    const history = [
      stored('p', 'a', { sequence: 1, at: '2026-01-01T00:00:00Z' }),
      stored('q', 'c', { at: '2026-01-01T00:00:00Z' }),
      stored('p', 'b', { sequence: 2, at: '2026-01-01T00:00:00Z' }),
    ];
    expect(latestBySubject(history).map((e) => e.eventId)).toEqual(['b', 'c']);
  });

  it('groups keeping order, and names the subjects of the types asked for', () => {
    expect([...groupBy(['a1', 'b1', 'a2'], (s) => s[0]!).entries()]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
    const events = [
      { eventId: '1', eventType: 'ProviderUpserted', subject: 'p', occurredAt: '' },
      { eventId: '2', eventType: 'ProviderRemoved', subject: 'q', occurredAt: '' },
    ];
    expect(subjectsOf(events, ['ProviderRemoved'])).toEqual(['q']);
  });
});
