#!/usr/bin/env node
// Deploys the Prisma migrations of each service (`prisma migrate deploy` equivalent,
// through Prisma's WebAssembly schema engine; no native engine needed).
//
//   node scripts/db/migrate.mjs                 # identity claims referrals providers
//   node scripts/db/migrate.mjs claims identity # only these
//
// Database per service: <SVC>_DATABASE_URL, else darman_<svc> on the server of
// DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/darman_<svc>.
// The database is created if missing. Idempotent: a second run applies nothing.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES, applyMigrations, ensureDatabase, redact, serviceDatabaseUrl } from '../../libs/db/src/engine.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function usage(code) {
  console.error(`usage: node scripts/db/migrate.mjs [${SERVICES.join('|')} ...]`);
  process.exit(code);
}

async function main(argv) {
  if (argv.includes('-h') || argv.includes('--help')) usage(0);
  const unknown = argv.filter((a) => !SERVICES.includes(a));
  if (unknown.length) {
    console.error(`unknown service(s): ${unknown.join(', ')}`);
    usage(2);
  }
  const services = argv.length ? [...new Set(argv)] : SERVICES;
  const started = performance.now();
  let failed = false;
  for (const svc of services) {
    const t0 = performance.now();
    const prismaDir = path.join(ROOT, 'apps', svc, 'prisma');
    const schemaPath = path.join(prismaDir, 'schema.prisma');
    const migrationsDir = path.join(prismaDir, 'migrations');
    const databaseUrl = serviceDatabaseUrl(svc);
    const tag = `[${svc}]`;
    try {
      const created = await ensureDatabase(databaseUrl);
      if (created) console.log(`${tag} created database ${redact(databaseUrl)}`);
      if (!existsSync(migrationsDir)) {
        console.log(`${tag} no migrations folder (${path.relative(ROOT, migrationsDir)}), nothing to apply`);
        continue;
      }
      const { applied } = await applyMigrations({
        databaseUrl,
        migrationsDir,
        schemaPath: existsSync(schemaPath) ? schemaPath : undefined,
      });
      const ms = Math.round(performance.now() - t0);
      if (applied.length === 0) {
        console.log(`${tag} up to date (${ms} ms)`);
      } else {
        console.log(`${tag} applied ${applied.length} migration(s) to ${redact(databaseUrl)} (${ms} ms):`);
        for (const name of applied) console.log(`${tag}   ${name}`);
      }
    } catch (e) {
      failed = true;
      console.error(`${tag} FAILED on ${redact(databaseUrl)}: ${e.code ? e.code + ' ' : ''}${firstParagraph(e)}`);
      if (process.env.DEBUG) console.error(e);
    }
  }
  console.log(`done in ${Math.round(performance.now() - started)} ms`);
  return failed ? 1 : 0;
}

// Engine errors end with a Rust span trace ("   0: schema_engine_wasm::..."); drop it.
function firstParagraph(e) {
  const msg = String(e?.message ?? e);
  const cut = msg.search(/\n\s+0: /);
  return (cut >= 0 ? msg.slice(0, cut) : msg).trim();
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
