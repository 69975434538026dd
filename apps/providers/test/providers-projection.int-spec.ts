// The directory projection against real PostgreSQL: live application and a
// rebuild from the stored events give the same rows, and a read model that
// did not exist when events were stored is rebuilt at start.
import { randomUUID } from 'node:crypto';
import { Topics, type NewEvent } from '@darman/contracts';
import { buildEvent, claimNewEvents, PgTransactionalDb, rebuildProjection, type ConsumedEvent } from '@darman/messaging';
import { createServiceDatabase, dropDatabase } from '@darman/testing';
import type { ProvidersConfig } from '../src/config/providers.config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { ProvidersDirectory } from '../src/directory/providers-directory.js';
import { ProvidersRepository } from '../src/directory/providers.repository.js';

const upsert = (providerId: string, name: string, sequence: number): NewEvent => ({
  eventType: 'ProviderUpserted',
  subject: providerId,
  sequence,
  data: {
    providerId,
    name,
    type: 'CLINIC',
    city: 'شیراز',
    address: 'خیابان زند',
    issuesReferral: true,
    onlineReferral: false,
    contracted: true,
  },
});

describe('providers directory projection on PostgreSQL', () => {
  let url: string;
  /** The consumer's connection type in the service (EventConsumersModule): node-postgres. */
  let db: PgTransactionalDb;
  let reads: PrismaService;
  let handler: ProvidersDirectory;
  let offset = 0;

  beforeAll(async () => {
    url = await createServiceDatabase('providers');
    db = new PgTransactionalDb(url);
    reads = new PrismaService({ DATABASE_URL: url } as ProvidersConfig);
    handler = new ProvidersDirectory(new ProvidersRepository(reads));
  });

  afterAll(async () => {
    await db?.$disconnect();
    await reads?.$disconnect();
    await dropDatabase(url);
  });

  const consumed = (events: NewEvent[]): ConsumedEvent[] =>
    events.map((e) => ({
      event: buildEvent(Topics.insurerProviders, { eventId: randomUUID(), ...e }, 'asmari-core'),
      topic: Topics.insurerProviders,
      partition: 0,
      offset: String(offset++),
    }));

  const snapshot = () =>
    db.$queryRawUnsafe<unknown[]>('SELECT provider_id, name, search_text, city_norm FROM providers ORDER BY provider_id');

  it('rebuilds exactly the rows live consumption produced, and only when the version changes', async () => {
    const history = [
      upsert('p1', 'کلینیک نو', 2),
      upsert('p1', 'کلینیک کهنه', 1),
      upsert('p2', 'درمانگاه مهر', 1),
      upsert('p3', 'داروخانه بسته', 1),
      { eventType: 'ProviderRemoved', subject: 'p3', sequence: 2, data: { providerId: 'p3' } },
    ];
    // Live: one event per batch, in this (partly reversed) order.
    for (const event of consumed(history)) {
      // What ProvidersConsumer does with a batch: the directory re-folds the providers it names.
      await db.$transaction(async (tx) =>
        handler.project(
          tx,
          (await claimNewEvents(tx, 'it', [event])).map((e) => e.event.subject),
        ),
      );
    }
    const live = await snapshot();
    expect(live).toEqual([
      expect.objectContaining({ provider_id: 'p1', name: 'کلینیک نو' }),
      expect.objectContaining({ provider_id: 'p2', name: 'درمانگاه مهر' }),
    ]);

    await db.$executeRawUnsafe(`UPDATE providers SET name = 'خراب'`);
    expect(await rebuildProjection(db, handler)).toBe(true);
    expect(await snapshot()).toEqual(live);
    // Same version: nothing to do.
    expect(await rebuildProjection(db, handler)).toBe(false);
  });

  it('projects events that were stored before the projection existed', async () => {
    // As an older release would have: stored in the inbox, nothing projected.
    await db.$transaction(async (tx) => claimNewEvents(tx, 'it', consumed([upsert('p9', 'بیمارستان قدیمی', 1)])));
    expect((await snapshot()).map((r) => (r as { provider_id: string }).provider_id)).not.toContain('p9');
    await db.$executeRawUnsafe('DELETE FROM projection_versions');
    expect(await rebuildProjection(db, handler)).toBe(true);
    expect((await snapshot()).map((r) => (r as { provider_id: string }).provider_id)).toContain('p9');
  });
});
