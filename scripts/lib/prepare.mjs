// Steps shared by `npm start` and `npm test`: install what is missing, generate
// Prisma clients, build. Each step is skipped when its inputs did not change,
// so a second run is fast.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVICES = ['identity', 'claims', 'referrals', 'providers'];
const STAMPS = path.join(ROOT, '.cache', 'stamps');

export function log(message) {
  process.stdout.write(`[darman] ${message}\n`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) if (existsSync(file)) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

function listFiles(dir, pattern) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** Runs `step` unless the hash of `inputs` equals the one stored after its last success. */
function unlessUnchanged(name, inputs, step) {
  const stamp = path.join(STAMPS, name);
  const hash = hashFiles(inputs);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return false;
  step();
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(stamp, hash);
  return true;
}

/**
 * True when node_modules holds exactly the packages of package-lock.json: npm
 * records what it installed in node_modules/.package-lock.json. Optional and
 * platform-specific packages that were not installed do not count.
 */
function installedMatchesLock() {
  const installedLock = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!existsSync(installedLock)) return false;
  const wanted = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedLock, 'utf8')).packages ?? {};
  for (const [name, entry] of Object.entries(wanted)) {
    if (name === '') continue;
    const have = installed[name];
    if (!have) {
      if (entry.optional || entry.devOptional || entry.os || entry.cpu) continue;
      return false;
    }
    if (have.version !== entry.version) return false;
  }
  return Object.keys(installed).every((name) => name in wanted);
}

/**
 * Install, generate, build — each only when needed. DARMAN_PREPARED=1 says the
 * tree is installed and built already (the Docker image) and skips all three.
 */
export function prepare() {
  if (process.env.DARMAN_PREPARED === '1') return;
  const lock = path.join(ROOT, 'package-lock.json');
  if (!installedMatchesLock()) {
    log('installing dependencies (npm ci: node_modules differs from package-lock.json)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  // A client is generated from its service's schema.prisma plus the shared fragments it
  // `// @include`s (libs/<lib>/prisma/*.prisma), merged by libs/db/src/schema.mjs.
  const schemas = [
    ...SERVICES.map((s) => path.join(ROOT, 'apps', s, 'prisma', 'schema.prisma')),
    ...listFiles(path.join(ROOT, 'libs'), /\.prisma$/),
    path.join(ROOT, 'libs', 'db', 'src', 'schema.mjs'),
  ];
  const generatedMissing = SERVICES.some((s) => !existsSync(path.join(ROOT, 'apps', s, 'src', 'generated', 'prisma', 'client.ts')));
  if (generatedMissing) rmStamp('prisma-generate');
  unlessUnchanged('prisma-generate', [...schemas, lock], () => {
    log('generating Prisma clients');
    run(process.execPath, ['scripts/db/generate.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
  const sources = [
    ...listFiles(path.join(ROOT, 'apps'), /\.ts$/),
    ...listFiles(path.join(ROOT, 'apps', 'portal'), /\.(tsx|css|html|svg)$/), // the portal, built by Vite into dist/portal/
    ...listFiles(path.join(ROOT, 'libs'), /\.ts$/),
    ...listFiles(path.join(ROOT, 'libs'), /\.mjs$/), // copied into dist/ by the build (libs/db)
    ...listFiles(path.join(ROOT, 'scripts'), /\.ts$/),
    ...listFiles(path.join(ROOT, 'bench'), /\.ts$/), // bench/naive-claims, in tsconfig.build.json's "include"
    path.join(ROOT, 'tsconfig.json'),
    path.join(ROOT, 'tsconfig.build.json'),
  ].filter((f) => !/\.(int-|e2e-)?spec\.ts$/.test(f));
  if (!existsSync(path.join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js'))) rmStamp('build');
  if (!existsSync(path.join(ROOT, 'dist', 'portal', 'index.html'))) rmStamp('build');
  unlessUnchanged('build', sources, () => {
    log('building (tsc, and the portal with Vite)');
    run(process.execPath, ['scripts/build.mjs']);
  });
}

/**
 * The build output of a TypeScript source (tsc mirrors the tree into dist/):
 * scripts/provision-topics.ts -> <root>/dist/scripts/provision-topics.js.
 * Throws, naming both, when the source does not exist or the build did not produce it.
 */
export function builtFile(source) {
  const absolute = path.resolve(ROOT, source);
  const relative = path.relative(ROOT, absolute);
  if (!existsSync(absolute)) throw new Error(`${relative} does not exist`);
  if (!relative.endsWith('.ts')) throw new Error(`${relative} is not a TypeScript source`);
  const output = path.join(ROOT, 'dist', relative.replace(/\.ts$/, '.js'));
  if (!existsSync(output)) {
    throw new Error(
      `the build did not produce ${path.relative(ROOT, output)} from ${relative} (is it in tsconfig.build.json's "include"?)`,
    );
  }
  return output;
}

function rmStamp(name) {
  const stamp = path.join(STAMPS, name);
  if (existsSync(stamp)) writeFileSync(stamp, '');
}
