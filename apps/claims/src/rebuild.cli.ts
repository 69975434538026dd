// Rebuilds the claims read model (and the service's member registry copy) from
// the event store, in one transaction: readers see the old rows until it
// commits. Consumers of the same database wait for it (advisory lock).
//   npm run claims:rebuild          env: DATABASE_URL (the claims database)
import { MemberRegistryProjection } from '@darman/access';
import { PgTransactionalDb, rebuildProjection } from '@darman/messaging';
import { ClaimsReadModel } from './claims/claims-read-model.js';
import { ClaimsRepository } from './claims/claims.repository.js';
import type { ClaimsConfig } from './config/claims.config.js';
import { PrismaService } from './prisma/prisma.service.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL (the claims database) is required');
  process.exit(1);
}
// The same connection type the service's consumer rebuilds through (libs/messaging pg-db.ts). The repository's
// Prisma client serves its reads, which a rebuild does not make: it never connects.
const db = new PgTransactionalDb(url);
const reads = new PrismaService({ DATABASE_URL: url } as ClaimsConfig);
const readModel = new ClaimsReadModel(new ClaimsRepository(reads, { CLAIMS_VISIBILITY_DELAY_HOURS: 0 }), new MemberRegistryProjection());
try {
  const started = Date.now();
  await rebuildProjection(db, readModel, true);
  const seconds = (Date.now() - started) / 1000;
  const [{ events, claims }] = await db.$queryRawUnsafe<{ events: number; claims: number }[]>(
    `SELECT (SELECT count(*)::int FROM inbox_events) AS events, (SELECT count(*)::int FROM claims) AS claims`,
  );
  console.log(
    `claims rebuild: ${claims} claims from ${events} stored events in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s)`,
  );
} finally {
  await db.$disconnect();
  await reads.$disconnect();
}
