import { RevokedSessions } from '@darman/access';
import type { PrismaService } from '../prisma/prisma.service.js';
import { SigningKeysService } from './signing-keys.service.js';

type Row = { kid: string; privateKeyPem: string; publicJwk: object; createdAt: Date };

/** A database whose interactive transaction, like Prisma's, gives up when its callback runs longer than `timeoutMs`. */
function fakeDb(timeoutMs: number, rows: Row[] = []) {
  const signingKey = {
    count: async () => rows.length,
    create: async ({ data }: { data: Omit<Row, 'createdAt'> }) => rows.push({ ...data, createdAt: new Date() }),
    findMany: async () => [...rows].reverse(),
  };
  const db = {
    signingKey,
    async $transaction(callback: (tx: unknown) => Promise<void>) {
      const started = Date.now();
      await callback({ $executeRawUnsafe: async () => 0, signingKey });
      if (Date.now() - started > timeoutMs) throw new Error(`P2028: transaction ran ${Date.now() - started} ms`);
    },
  };
  return { db: db as unknown as PrismaService, rows };
}

describe('signing keys at start', () => {
  it('creates the first key with its RSA generation outside the transaction, so a slow machine does not time it out', async () => {
    // Generating a 2048-bit pair takes tens of milliseconds at least; the storing transaction, a few.
    const { db, rows } = fakeDb(5);
    const keys = new SigningKeysService(db, new RevokedSessions());
    await keys.onModuleInit();
    expect(rows).toHaveLength(1);
    expect(keys.jwks().keys).toEqual([expect.objectContaining({ kid: rows[0]!.kid, alg: 'RS256', use: 'sig' })]);
  });

  it('keeps the key another replica stored first', async () => {
    const first = fakeDb(1_000);
    await new SigningKeysService(first.db, new RevokedSessions()).onModuleInit();
    const second = fakeDb(1_000, first.rows);
    await new SigningKeysService(second.db, new RevokedSessions()).onModuleInit();
    expect(second.rows).toHaveLength(1);
  });
});
