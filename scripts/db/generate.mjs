#!/usr/bin/env node
// Generates each service's Prisma Client (`prisma generate`) into
// apps/<svc>/src/generated/prisma (the `output` of the schema's generator block).
//
// The schema generated from is the service's apps/<svc>/prisma/schema.prisma plus the
// shared fragments it `// @include`s (libs/<lib>/prisma/*.prisma): both are written
// into .cache/prisma/<svc>/ (git-ignored, rewritten on every run, generator `output`
// rebased so the client lands in the same place) and that folder is handed to the
// CLI as a multi-file schema. See libs/db/src/schema.mjs.
//
//   node scripts/db/generate.mjs                 # identity claims referrals providers
//   node scripts/db/generate.mjs claims          # only these
//
// `prisma generate` itself needs no schema engine, but the Prisma 7 CLI still
// tries to download the native one first (binaries.prisma.sh, unreachable here).
// PRISMA_SCHEMA_ENGINE_BINARY pointing at a harmless executable satisfies that
// check. It is set ONLY for this child process: never export it for migrate
// commands (a fake engine would "succeed" doing nothing). Migrations go through
// scripts/db/migrate.mjs.
//
// If apps/<svc>/prisma.config.{ts,mjs,js} exists it is passed with --config
// (otherwise the CLI would look for a config in the current directory only).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSchemaFolder } from '../../libs/db/src/schema.mjs';

const SERVICES = ['identity', 'claims', 'referrals', 'providers'];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MERGED = path.join(ROOT, '.cache', 'prisma');
const require = createRequire(path.join(ROOT, 'package.json'));
const CONFIG_NAMES = ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.mjs', 'prisma.config.js'];

function harmlessExecutable() {
  for (const p of ['/bin/true', '/usr/bin/true']) if (existsSync(p)) return p;
  return process.execPath; // any existing executable will do; it is never run by generate
}

function main(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(`usage: node scripts/db/generate.mjs [${SERVICES.join('|')} ...]`);
    return 0;
  }
  const unknown = argv.filter((a) => !SERVICES.includes(a));
  if (unknown.length) {
    console.error(`unknown service(s): ${unknown.join(', ')}`);
    return 2;
  }
  const services = argv.length ? [...new Set(argv)] : SERVICES;
  const cli = require.resolve('prisma/build/index.js');
  const env = {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: harmlessExecutable(),
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1', // no telemetry call to checkpoint.prisma.io
  };
  let status = 0;
  for (const svc of services) {
    const svcDir = path.join(ROOT, 'apps', svc);
    const schema = path.join(svcDir, 'prisma', 'schema.prisma');
    if (!existsSync(schema)) {
      console.log(`[${svc}] no ${path.relative(ROOT, schema)}, skipped`);
      continue;
    }
    let merged;
    try {
      const folder = path.join(MERGED, svc);
      const files = writeSchemaFolder(schema, folder, { root: ROOT });
      merged = { folder, fragments: files.length - 1 };
    } catch (e) {
      console.error(`[${svc}] ${e.message}`);
      status = 1;
      continue;
    }
    const args = [cli, 'generate', '--schema', merged.folder];
    const config = CONFIG_NAMES.map((n) => path.join(svcDir, n)).find((p) => existsSync(p));
    if (config) args.push('--config', config);
    console.log(
      `[${svc}] prisma generate --schema ${path.relative(ROOT, merged.folder)}` +
        ` (${path.relative(ROOT, schema)} + ${merged.fragments} fragment(s))${config ? ` --config ${path.relative(ROOT, config)}` : ''}`,
    );
    const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`[${svc}] prisma generate failed (exit ${r.status ?? r.signal})`);
      status = 1;
    }
  }
  return status;
}

process.exit(main(process.argv.slice(2)));
