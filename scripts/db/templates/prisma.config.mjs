// Template: copy to apps/<svc>/prisma.config.mjs (one per service; no edits needed,
// the service name is the folder name). Plain ESM so it needs no TypeScript build;
// the prisma CLI loads .ts/.mts/.js/.mjs/.cjs configs alike (through jiti).
//
// Not needed by `prisma generate` (scripts/db/generate.mjs passes it with --config
// when present) nor by scripts/db/*.mjs. It is what the stock CLI needs on machines
// that do have the native schema engine, because Prisma 7 no longer reads `url` from
// schema.prisma:
//   npx prisma migrate deploy --config apps/<svc>/prisma.config.mjs
//   npx prisma migrate status --config apps/<svc>/prisma.config.mjs
//   npx prisma studio         --config apps/<svc>/prisma.config.mjs
// The CLI looks for a config in the current directory only, hence --config.
// Prisma 7 does not load .env files: export the variables (or use `node --env-file`).
//
// `schema` is the merged schema that `npm run db:generate` writes to
// .cache/prisma/<svc>/ (schema.prisma + the shared fragments it `// @include`s, see
// libs/db/README.md): schema.prisma alone lacks the shared tables, and `migrate dev`
// would try to drop them. Run `npm run db:generate` first.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

const svc = path.basename(path.dirname(fileURLToPath(import.meta.url)));

// Same resolution as libs/db/src/engine.mjs serviceDatabaseUrl().
function databaseUrl() {
  const own = process.env[`${svc.toUpperCase()}_DATABASE_URL`];
  if (own) return own;
  const u = new URL(process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432');
  u.pathname = `/darman_${svc}`;
  return u.toString();
}

export default defineConfig({
  // Paths are relative to this file.
  schema: `../../.cache/prisma/${svc}`,
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrl() },
});
