// Rebuilds the claims read model (and the service's member registry copy) from
// the event store, in one transaction: readers see the old rows until it
// commits. Consumers of the same database wait for it (advisory lock).
//   npm run claims:rebuild          env: DATABASE_URL (the claims database)
import { PgTransactionalDb, rebuildProjection } from '@darman/messaging';
import { ClaimsEventsHandler } from './claims/claims-events.handler.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL (the claims database) is required');
  process.exit(1);
}
// The same connection type the service's consumer rebuilds through (libs/messaging pg-db.ts).
const db = new PgTransactionalDb(url);
try {
  const started = Date.now();
  await rebuildProjection(db, new ClaimsEventsHandler(), true);
  const seconds = (Date.now() - started) / 1000;
  const [{ events, claims }] = await db.$queryRawUnsafe<{ events: number; claims: number }[]>(
    `SELECT (SELECT count(*)::int FROM inbox_events) AS events, (SELECT count(*)::int FROM claims) AS claims`,
  );
  console.log(
    `claims rebuild: ${claims} claims from ${events} stored events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s)`,
  );
} finally {
  await db.$disconnect();
}
