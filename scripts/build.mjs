#!/usr/bin/env node
// Compiles apps and libs with tsc into dist/ (layout mirrors the sources), builds
// the member portal (apps/portal, Vite) into dist/portal/ for the gateway to serve, and
// links dist/node_modules/@darman/<lib> -> dist/libs/<lib>/src so that Node
// resolves the `@darman/*` path aliases of the compiled ESM output. Plain-ESM
// sources (.mjs, e.g. libs/db's schema engine) are not compiled: tsc leaves them
// out, so they are copied next to the compiled files that import them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIBS = ['access', 'contracts', 'db', 'messaging', 'persian', 'platform', 'testing'];

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

// The portal: its own TypeScript (DOM, JSX), bundled by Vite; the gateway serves dist/portal/. Skipped when its
// sources and the lockfile are what the last portal build was made from (dist/portal/.inputs): parallel test
// workers run `npm run build` at the same time, and Vite refuses a second build of the project while one runs.
const portalInputs = () => {
  const hash = createHash('sha256');
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .forEach((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else hash.update(full).update(readFileSync(full));
      });
  walk(path.join(root, 'apps', 'portal'));
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
};
const stamp = path.join(root, 'dist', 'portal', '.inputs');
const inputs = portalInputs();
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== inputs) {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const portal = spawnSync(process.execPath, [vite, 'build', '--config', 'apps/portal/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (portal.status !== 0) process.exit(portal.status ?? 1);
  writeFileSync(stamp, inputs);
}

for (const lib of LIBS) {
  const src = path.join(root, 'libs', lib, 'src');
  const out = path.join(root, 'dist', 'libs', lib, 'src');
  if (!existsSync(out)) continue; // not built (libs/testing)
  for (const file of readdirSync(src).filter((f) => f.endsWith('.mjs'))) copyFileSync(path.join(src, file), path.join(out, file));
}

const scope = path.join(root, 'dist', 'node_modules', '@darman');
mkdirSync(scope, { recursive: true });
const linkTarget = (link) => {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
};
for (const lib of LIBS) {
  const link = path.join(scope, lib);
  const target = path.join('..', '..', 'libs', lib, 'src');
  // Left alone when already right: a process started from dist/ meanwhile (a test's CLI) must not find it missing.
  if (linkTarget(link) === target) continue;
  rmSync(link, { force: true, recursive: true });
  symlinkSync(target, link, 'dir');
}
