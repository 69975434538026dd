import type { PrismaService } from '../prisma/prisma.service.js';
import { SigningKeysService } from './signing-keys.service.js';

interface StoredKey {
  kid: string;
  privateKeyPem: string;
  publicJwk: unknown;
  createdAt: Date;
}

/**
 * An in-memory identity database whose interactive transaction expires as soon as its callback yields to the
 * event loop (a macrotask), the way Prisma's 5 s timeout expires under a slow step: only database calls may
 * happen inside it. Key generation runs on libuv's thread pool, so inside the transaction it would expire it.
 */
function fakeDatabase() {
  const keys: StoredKey[] = [];
  const table = (expired: () => boolean) => ({
    count: async () => {
      if (expired()) throw new Error('transaction expired');
      return keys.length;
    },
    create: async ({ data }: { data: Omit<StoredKey, 'createdAt'> }) => {
      if (expired()) throw new Error('transaction expired');
      keys.push({ ...data, createdAt: new Date() });
    },
    findMany: async () => [...keys],
  });
  const db = {
    signingKey: table(() => false),
    $transaction: async (fn: (tx: unknown) => Promise<unknown>) => {
      let expired = false;
      const timer = setImmediate(() => (expired = true));
      try {
        return await fn({ signingKey: table(() => expired), $executeRawUnsafe: async () => 1 });
      } finally {
        clearImmediate(timer);
      }
    },
  };
  return { db: db as unknown as PrismaService, keys };
}

describe('SigningKeysService', () => {
  it('creates the first signing key at start even when generating it outlasts a database transaction', async () => {
    const { db, keys } = fakeDatabase();
    const service = new SigningKeysService(db);
    await service.onModuleInit();
    expect(keys).toHaveLength(1);
    expect(service.jwks().keys).toEqual([expect.objectContaining({ kid: keys[0]!.kid, alg: 'RS256', use: 'sig' })]);
  });

  it('keeps the key another replica created first', async () => {
    const { db, keys } = fakeDatabase();
    await new SigningKeysService(db).onModuleInit();
    const second = new SigningKeysService(db);
    await second.onModuleInit();
    expect(keys).toHaveLength(1);
    expect(second.jwks().keys.map((k) => k.kid)).toEqual([keys[0]!.kid]);
  });
});
