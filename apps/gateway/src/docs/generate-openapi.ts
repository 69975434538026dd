// Writes docs/openapi.json (the gateway's OpenAPI document, as /docs-json
// serves it) and apps/portal/src/api/schema.d.ts (its TypeScript types for the
// portal's client, by openapi-typescript): `npm run docs:openapi`.
//   --check   write nothing; exit 1 naming the files that differ from what would be written
// openapi.spec.ts fails while the committed files differ from what this writes.
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHttp, createHttpAdapter, loadConfig } from '@darman/platform';
import { AppModule } from '../app.module.js';
import { GatewayConfig } from '../config/gateway.config.js';
import { OPENAPI_FILES, renderOpenApiFiles } from './openapi-files.js';
import { repoRoot } from './event-docs.js';
import { configureGateway } from './openapi.js';

// (`--help` is answered by scripts/run.mjs from the comment above.)
const check = process.argv.slice(2).includes('--check');

const root = repoRoot();
// The app as main.ts builds it, without listening or connecting to anything.
const config = loadConfig(GatewayConfig, { PORT: '3000', NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createHttpAdapter(), { logger: false });
configureHttp(app);
const files = await renderOpenApiFiles(root, configureGateway(app));
await app.close();
let stale = 0;
for (const [kind, file] of Object.entries(OPENAPI_FILES) as [keyof typeof OPENAPI_FILES, string][]) {
  const target = path.join(root, file);
  if (check) {
    if ((existsSync(target) ? readFileSync(target, 'utf8') : undefined) !== files[kind]) {
      stale++;
      process.stderr.write(`${file} is out of date: run npm run docs:openapi\n`);
    }
    continue;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, files[kind]);
  process.stdout.write(`wrote ${file}\n`);
}
process.exit(stale > 0 ? 1 : 0);
