#!/usr/bin/env node
// Compiles apps and libs with tsc into dist/ (layout mirrors the sources) and
// links dist/node_modules/@darman/<lib> -> dist/libs/<lib>/src so that Node
// resolves the `@darman/*` path aliases of the compiled ESM output.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIBS = ['access', 'contracts', 'messaging', 'persian', 'platform', 'testing'];

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const scope = path.join(root, 'dist', 'node_modules', '@darman');
mkdirSync(scope, { recursive: true });
for (const lib of LIBS) {
  const link = path.join(scope, lib);
  rmSync(link, { force: true, recursive: true });
  symlinkSync(path.join('..', '..', 'libs', lib, 'src'), link, 'dir');
}
