import type { ContractEvent } from '@darman/contracts';
import type { StoredEvent } from '@darman/messaging';
import { foldReferralProviders } from './referral-providers.js';

type ProviderEvent = ContractEvent<'ProviderUpserted' | 'ProviderRemoved'>;

const stored = (event: Record<string, unknown>, sequence: number): StoredEvent<ProviderEvent> => {
  const occurredAt = new Date(Date.UTC(2026, 0, 1, 0, sequence)).toISOString();
  return {
    event: { eventId: `e${sequence}`, eventVersion: 1, source: 'asmari-core', occurredAt, sequence, ...event } as unknown as ProviderEvent,
    occurredAtMs: Date.parse(occurredAt),
    receivedAt: new Date(),
    offset: String(sequence),
  };
};
const upserted = (providerId: string, name: string, sequence: number) =>
  stored(
    {
      eventType: 'ProviderUpserted',
      subject: providerId,
      data: {
        providerId,
        name,
        type: 'CLINIC',
        city: 'شیراز',
        address: 'خیابان ۱',
        issuesReferral: true,
        onlineReferral: false,
        contracted: true,
      },
    },
    sequence,
  );
const removed = (providerId: string, sequence: number) =>
  stored({ eventType: 'ProviderRemoved', subject: providerId, data: { providerId } }, sequence);

describe('foldReferralProviders', () => {
  it('keeps a centre upserted then removed in one batch as removed, with its name, as two batches would', () => {
    expect(foldReferralProviders([upserted('P1', 'مرکز یک', 1), removed('P1', 2)])).toEqual([
      { providerId: 'P1', upsert: expect.objectContaining({ name: 'مرکز یک', contracted: true }), removed: true },
    ]);
  });

  it('brings a removed centre back with its newest upsert', () => {
    const [fold] = foldReferralProviders([upserted('P1', 'قدیم', 1), removed('P1', 2), upserted('P1', 'جدید', 3)]);
    expect(fold).toEqual({ providerId: 'P1', upsert: expect.objectContaining({ name: 'جدید' }), removed: false });
  });

  it('has no row to write for a centre only ever removed', () => {
    expect(foldReferralProviders([removed('P2', 1)])).toEqual([{ providerId: 'P2', upsert: null, removed: true }]);
  });
});
