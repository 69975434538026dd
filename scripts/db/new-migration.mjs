#!/usr/bin/env node
// Creates the next Prisma migration of a service from its schema.prisma and the shared
// fragments it `// @include`s (libs/db/src/schema.mjs) — the `prisma migrate dev
// --create-only` equivalent, via the WebAssembly schema engine (libs/db/src/engine.mjs).
//
//   node scripts/db/new-migration.mjs <svc> <name>           # SQL diffed from the schema
//   node scripts/db/new-migration.mjs <svc> <name> --empty   # empty migration.sql to hand-write
//
// The existing apps/<svc>/prisma/migrations are replayed on a temporary shadow database
// (prisma_migrate_shadow_db_<uuid>, created and dropped on the server of the service's
// database URL, see migrate.mjs), diffed against apps/<svc>/prisma/schema.prisma and its
// fragments, and the SQL is written to
// apps/<svc>/prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql (plus
// migration_lock.toml if missing). Nothing is applied: run migrate.mjs afterwards.

import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCKFILE_CONTENT, SERVICES, diffMigration, serviceDatabaseUrl } from '../../libs/db/src/engine.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function usage(code) {
  console.error(`usage: node scripts/db/new-migration.mjs <${SERVICES.join('|')}> <name> [--empty]`);
  process.exit(code);
}

// Same normalisation idea as the prisma CLI: lower-case snake case, max 200 chars.
function slug(name) {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

const pad = (n) => String(n).padStart(2, '0');
function utcStamp(date) {
  return (
    date.getUTCFullYear() +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds())
  );
}
function parseStamp(stamp) {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/** YYYYMMDDHHMMSS (UTC, like prisma), bumped past the newest existing folder so order holds. */
async function nextStamp(migrationsDir) {
  const dirs = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const newest = dirs
    .filter((d) => d.isDirectory())
    .map((d) => parseStamp(d.name.split('_')[0]))
    .filter(Boolean)
    .sort((a, b) => b - a)[0];
  let when = new Date();
  if (newest && when.getTime() < newest.getTime() + 1000) when = new Date(newest.getTime() + 1000);
  return utcStamp(when);
}

// `prisma migrate dev` prints data-loss warnings computed against the dev database;
// the engine's diff does not return them, so flag the usual suspects in the SQL.
function riskyStatements(sql) {
  const checks = [
    /\bDROP\s+(TABLE|COLUMN|TYPE|SCHEMA)\b/i,
    /\bALTER\s+COLUMN\s+"[^"]+"\s+(SET\s+DATA\s+)?TYPE\b/i,
    /\bSET\s+NOT\s+NULL\b/i,
    /\bADD\s+COLUMN\s+"[^"]+"\s+[^,;]*\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b)/i,
    /\bCREATE\s+UNIQUE\s+INDEX\b/i,
    /\bRENAME\s+TO\s+"[^"]+_old"/i, // enum value removal recreates the type
  ];
  const created = new Set([...sql.matchAll(/CREATE\s+TABLE\s+"([^"]+)"/gi)].map((m) => m[1]));
  const onNewTable = (l) => created.has(/\bON\s+"([^"]+)"/i.exec(l)?.[1]);
  return sql
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('--') && checks.some((re) => re.test(l)) && !onNewTable(l));
}

async function main(argv) {
  const flags = argv.filter((a) => a.startsWith('-'));
  const args = argv.filter((a) => !a.startsWith('-'));
  if (flags.includes('-h') || flags.includes('--help')) usage(0);
  const badFlag = flags.find((f) => f !== '--empty');
  if (badFlag || args.length !== 2) usage(2);
  const [svc, rawName] = args;
  if (!SERVICES.includes(svc)) {
    console.error(`unknown service: ${svc}`);
    usage(2);
  }
  const name = slug(rawName);
  if (!name) {
    console.error(`invalid migration name: ${JSON.stringify(rawName)}`);
    return 2;
  }
  const prismaDir = path.join(ROOT, 'apps', svc, 'prisma');
  const schemaPath = path.join(prismaDir, 'schema.prisma');
  const migrationsDir = path.join(prismaDir, 'migrations');
  if (!existsSync(schemaPath)) {
    console.error(`no schema at ${path.relative(ROOT, schemaPath)}`);
    return 1;
  }

  let sql;
  if (flags.includes('--empty')) {
    sql = '-- This is an empty migration.\n';
  } else {
    sql = await diffMigration({ databaseUrl: serviceDatabaseUrl(svc), schemaPath, migrationsDir });
    if (!sql) {
      console.log(`[${svc}] no changes: schema.prisma and its fragments match the migrations folder`);
      return 0;
    }
  }

  const dirName = `${await nextStamp(migrationsDir)}_${name}`;
  const dir = path.join(migrationsDir, dirName);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql, { flag: 'wx' });
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) {
    await writeFile(lockPath, LOCKFILE_CONTENT);
    console.log(`[${svc}] wrote ${path.relative(ROOT, lockPath)}`);
  }
  console.log(`[${svc}] wrote ${path.relative(ROOT, path.join(dir, 'migration.sql'))}`);
  const risky = riskyStatements(sql);
  if (risky.length) {
    console.log(`[${svc}] review before applying, possible data loss or failure on non-empty tables:`);
    for (const line of risky) console.log(`[${svc}]   ${line}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e?.message ?? e);
    if (process.env.DEBUG) console.error(e);
    process.exit(1);
  },
);
