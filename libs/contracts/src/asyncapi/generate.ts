// Writes docs/asyncapi.yaml and docs/asyncapi.json, the AsyncAPI 3 document of
// the event contract, from the contract classes (EVENT_REGISTRY, topics,
// envelope and payload classes): `npm run docs:asyncapi`.
//   --check   write nothing; exit 1 naming the files that differ from what would be written
// asyncapi.spec.ts fails while the committed files differ from what this writes.
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ASYNCAPI_FILES, renderAsyncApiFiles, repoRoot } from './files.js';

// (`--help` is answered by scripts/run.mjs from the comment above.)
const check = process.argv.slice(2).includes('--check');

const root = repoRoot();
const files = await renderAsyncApiFiles(root);
let stale = 0;
for (const [kind, file] of Object.entries(ASYNCAPI_FILES) as [keyof typeof ASYNCAPI_FILES, string][]) {
  const target = path.join(root, file);
  if (check) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current !== files[kind]) {
      stale++;
      process.stderr.write(`${file} is out of date: run npm run docs:asyncapi\n`);
    }
    continue;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, files[kind]);
  process.stdout.write(`wrote ${file}\n`);
}
process.exit(stale > 0 ? 1 : 0);
