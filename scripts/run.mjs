#!/usr/bin/env node
// Runs a script named by its SOURCE file, so an npm script cannot point at a
// build output that no longer exists:
//   node scripts/run.mjs <source> [args...]
//   node scripts/run.mjs scripts/provision-topics.ts      (package.json: npm run topics:provision)
// First prepare(): install, generate the Prisma clients, build, each skipped
// when its inputs did not change (DARMAN_PREPARED=1, set in the Docker image,
// skips it). A .ts source then runs as its build output dist/<path>.js, and
// the runner fails naming both when the build did not produce it; a .mjs/.js
// source runs as it is. The exit code is the script's.
// `--help` / `-h` with a .ts source prints the comment at the top of the
// source, then loads the built file's imports without running its body, so a
// broken import fails the help too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { headerComment, helpRequested } from './lib/help.mjs';
import { builtFile, prepare, ROOT } from './lib/prepare.mjs';

function fail(message) {
  process.stderr.write(`scripts/run.mjs: ${message}\n`);
  process.exit(1);
}

const [source, ...args] = process.argv.slice(2);
if (!source || source === '--help' || source === '-h') {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(source ? 0 : 2);
}
const sourcePath = path.resolve(ROOT, source);
if (!existsSync(sourcePath)) fail(`${source} does not exist`);
const isTypeScript = source.endsWith('.ts');
if (!isTypeScript && !/\.(mjs|js)$/.test(source)) fail(`${source}: expected a .ts, .mjs or .js file`);

try {
  prepare();
} catch (error) {
  fail(`preparing ${source} failed: ${error.message}`);
}
let target = sourcePath;
if (isTypeScript) {
  try {
    target = builtFile(sourcePath);
  } catch (error) {
    fail(error.message);
  }
}

if (isTypeScript && helpRequested(args)) {
  process.stdout.write(headerComment(sourcePath));
  // The module's body runs only after every import has loaded: stop right there.
  const entry = pathToFileURL(target).href;
  const hook = `
    let entry;
    export function initialize(data) { entry = data.entry; }
    export async function load(url, context, nextLoad) {
      const result = await nextLoad(url, context);
      if (url !== entry) return result;
      const text = Buffer.from(result.source).toString('utf8');
      const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\\n') + 1) : '';
      return { ...result, source: shebang + 'throw Symbol.for("darman.run.stop");' + text.slice(shebang.length) };
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { entry } });
  try {
    await import(entry);
  } catch (error) {
    if (error !== Symbol.for('darman.run.stop')) fail(`${path.relative(ROOT, target)} does not load: ${error?.stack ?? error}`);
    process.stdout.write(`(${path.relative(ROOT, target)} and its imports load)\n`);
    process.exit(0);
  }
  fail(`${path.relative(ROOT, target)} was not stopped before its body ran`);
}

const child = spawn(process.execPath, ['--enable-source-maps', target, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => fail(`could not start ${target}: ${error.message}`));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
