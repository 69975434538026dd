// Helpers of the tooling tests: what README.md, package.json, the Dockerfile
// and docker-compose.yml name, and a way to run npm scripts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const packageScripts = (): Record<string, string> =>
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * Every npm script README.md names: each `npm run X` anywhere, and each bare
 * `X` in the command column of the "Layout and commands" table (as in
 * "`npm run kafka:start` / `kafka:stop`").
 */
export function readmeScripts(markdown = readFileSync(path.join(ROOT, 'README.md'), 'utf8')): string[] {
  const names = new Set<string>();
  for (const match of markdown.matchAll(/npm run ([\w-]+(?::[\w-]+)*)/g)) names.add(match[1]);
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Layout and commands'));
  if (!section) throw new Error('README.md has no "## Layout and commands" section (the table of npm scripts)');
  for (const row of section.split('\n').filter((line) => line.startsWith('|'))) {
    const command = row.split('|')[1] ?? '';
    if (!command.includes('npm run')) continue;
    for (const [, code] of command.matchAll(/`([^`]+)`/g)) if (/^[\w-]+(?::[\w-]+)+$/.test(code.trim())) names.add(code.trim());
  }
  return [...names].sort();
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `npm run <name> -- <args>` from the repository root, with `env` added to the environment. */
export function npmRun(name: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = 240_000): Run {
  return run('npm', ['run', '--silent', name, ...(args.length ? ['--', ...args] : [])], env, timeoutMs);
}

export function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 240_000): Run {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A run's exit and output, for failure messages. */
export function describeRun(what: string, result: Run): string {
  const tail = (text: string) => text.split('\n').slice(-40).join('\n');
  return `${what}: exit ${result.status ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}

/** Throws with the output unless the run exited with `status`. */
export function expectExit(what: string, result: Run, status = 0): Run {
  if (result.status !== status) throw new Error(`expected exit ${status}. ${describeRun(what, result)}`);
  return result;
}

/** TypeScript sources of the repository (not node_modules, dist, caches). */
export function sourceFiles(): string[] {
  const skip = new Set(['node_modules', 'dist', '.cache', '.data', '.git', 'coverage']);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      else out.push(relative);
    }
  };
  walk('');
  return out;
}

/**
 * Whether a path a script or the Dockerfile names exists: a dist/<x>.js build
 * output counts when its source <x>.ts exists (tsc mirrors the tree). `${VAR}` /
 * `*` parts match any one path segment; at least one file must match.
 */
export function namedPathExists(named: string, files = sourceFiles()): boolean {
  const clean = named.replace(/^\.\//, '').replace(/\/$/, '');
  const wanted = clean.startsWith('dist/') ? clean.slice('dist/'.length).replace(/\.js$/, '.ts') : clean;
  if (!/\$\{|\*/.test(wanted)) return existsSync(path.join(ROOT, wanted));
  const pattern = new RegExp(
    `^${wanted
      .split(/(\$\{[^}]+\}|\*)/)
      .map((part, i) => (i % 2 ? '[^/]+' : part.replace(/[.+?^$()[\]{}|\\]/g, '\\$&')))
      .join('')}(/.*)?$`,
  );
  return files.some((file) => pattern.test(file));
}

/** Repository paths a shell command names (scripts/…, dist/…, apps/…, bench/…, infra/…, libs/…, config/…). */
export function pathsIn(command: string): string[] {
  const found = command.match(/(?<![\w/.-])(?:\.\/)?(?:scripts|dist|apps|bench|infra|libs|config)\/[\w./${}*-]*[\w}*]/g) ?? [];
  return [...new Set(found)];
}

/** npm scripts a shell command runs (`npm run X`, `npm start`, `npm test`). */
export function npmScriptsIn(command: string): string[] {
  const names = [...command.matchAll(/npm run(?:-script)? (?:--silent )?([\w-]+(?::[\w-]+)*)/g)].map((m) => m[1]);
  for (const [, name] of command.matchAll(/npm (start|test)\b/g)) names.push(name);
  return names;
}
