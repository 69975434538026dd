// A service's Prisma schema = its own apps/<svc>/prisma/schema.prisma + the shared
// fragments it includes.
//
// Tables that several services have by design (inbox, outbox, projection versions,
// the member registry's copy) are defined once, in a fragment beside the library
// that owns them (libs/<lib>/prisma/<name>.prisma). A service schema takes one with
// a directive line, a plain `//` comment that Prisma itself ignores:
//
//   // @include libs/messaging/prisma/inbox.prisma
//
// The path is relative to the repository root (the nearest folder above the schema
// with a package.json). Rules, checked here so that a mistake fails loudly:
//   - only from a service schema: a fragment cannot include another one;
//   - the path is `libs/<lib>/prisma/<name>.prisma` and the file exists;
//   - a fragment has models/enums/views only: no `generator` or `datasource` block;
//   - each fragment at most once per schema.
//
// readSchemaFiles() hands the schema engine (diff, applyMigrations) the service
// schema and its fragments as one multi-file schema, read from where they live.
// writeSchemaFolder() writes the same files into one folder for `prisma generate`
// (which takes a folder as a multi-file schema), with the generator's `output`
// rewritten so the client still lands where the service schema says.
//
// Plain ESM, no build step, no dependency beyond node:*.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DIRECTIVE = /^[ \t]*\/\/[ \t]*@include(.*)$/gm;
const FRAGMENT_PATH = /^libs\/[a-z0-9][a-z0-9-]*\/prisma\/[a-z0-9][a-z0-9_-]*\.prisma$/;
const CONFIG_BLOCK = /^[ \t]*(generator|datasource)[ \t]+\w+[ \t]*\{/m;

/** The repository root of a path: the nearest folder at or above it with a package.json. */
export function findRepoRoot(from) {
  let dir = path.resolve(from);
  if (existsSync(dir) && statSync(dir).isFile()) dir = path.dirname(dir);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}: cannot resolve schema includes`);
    dir = parent;
  }
}

/**
 * The `// @include <path>` directives of one schema file, in order, as
 * repository-relative paths. Throws on a malformed directive.
 */
export function parseIncludes(content, file = '<schema>') {
  const includes = [];
  for (const match of content.matchAll(DIRECTIVE)) {
    const line = content.slice(0, match.index).split('\n').length;
    const where = `${file}:${line}`;
    const args = match[1].trim().split(/\s+/).filter(Boolean);
    if (!/^\s/.test(match[1]) || args.length !== 1) {
      throw new Error(`${where}: expected \`// @include libs/<lib>/prisma/<name>.prisma\`, got \`${match[0].trim()}\``);
    }
    const ref = args[0];
    if (!FRAGMENT_PATH.test(ref)) {
      throw new Error(`${where}: @include ${ref}: a fragment is libs/<lib>/prisma/<name>.prisma (repository-relative)`);
    }
    if (includes.includes(ref)) throw new Error(`${where}: @include ${ref} appears twice`);
    includes.push(ref);
  }
  return includes;
}

/** Reads and checks one fragment; returns { path, content, ref }. */
function readFragment(root, ref, includedFrom) {
  const abs = path.join(root, ref);
  if (!existsSync(abs)) throw new Error(`${includedFrom}: @include ${ref}: no such file (${abs})`);
  const content = readFileSync(abs, 'utf8');
  if (parseIncludes(content, ref).length > 0) {
    throw new Error(`${ref}: a fragment cannot @include another fragment; include both from the service schema`);
  }
  const block = CONFIG_BLOCK.exec(content);
  if (block) throw new Error(`${ref}: a fragment cannot declare a ${block[1]} block; that belongs to the service schema`);
  return { path: abs, content, ref };
}

function readOwnFiles(schemaPath) {
  const abs = path.resolve(schemaPath);
  if (statSync(abs).isFile()) return [{ path: abs, content: readFileSync(abs, 'utf8') }];
  const files = [];
  for (const entry of readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.prisma')) continue;
    const p = path.join(entry.parentPath ?? entry.path, entry.name);
    if (p.startsWith(path.join(abs, 'migrations') + path.sep)) continue;
    files.push({ path: p, content: readFileSync(p, 'utf8') });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  if (files.length === 0) throw new Error(`No .prisma files in ${abs}`);
  return files;
}

/**
 * The fragments a schema includes, as [{ path, content, ref }] in directive order.
 * schemaPath: a .prisma file or a folder of them (multi-file schema).
 */
export function resolveIncludes(schemaPath, { root = findRepoRoot(schemaPath) } = {}) {
  const seen = new Map();
  const ownFiles = readOwnFiles(schemaPath);
  const ownPaths = new Set(ownFiles.map((f) => f.path));
  const base = statSync(path.resolve(schemaPath)).isFile() ? null : path.resolve(schemaPath);
  for (const own of ownFiles) {
    const from = path.relative(root, own.path) || own.path;
    for (const ref of parseIncludes(own.content, from)) {
      if (seen.has(ref)) throw new Error(`${from}: @include ${ref} is already included by ${seen.get(ref).from}`);
      // A folder written by writeSchemaFolder already holds its fragments.
      if (base && ownPaths.has(path.join(base, ref))) {
        seen.set(ref, { from, fragment: null });
        continue;
      }
      seen.set(ref, { from, fragment: readFragment(root, ref, from) });
    }
  }
  return [...seen.values()].map((v) => v.fragment).filter(Boolean);
}

/**
 * Every file of a service's schema: its own .prisma file(s), then the fragments they
 * include, each { path, content } with its real path (engine messages point at the
 * file to edit). This is what the schema engine diffs and validates.
 */
export function readSchemaFiles(schemaPath, options = {}) {
  const own = readOwnFiles(schemaPath);
  const fragments = resolveIncludes(schemaPath, options).map(({ path: p, content }) => ({ path: p, content }));
  return [...own, ...fragments];
}

/**
 * Rewrites every generator's relative `output` so that, read from `toDir`, it points
 * where it pointed when read from `fromDir`. Line numbers are kept.
 */
export function rebaseGeneratorOutput(content, fromDir, toDir) {
  return content.replace(/(^[ \t]*generator[ \t]+\w+[ \t]*\{)([\s\S]*?)(^[ \t]*\})/gm, (_, open, body, close) => {
    const rebased = body.replace(/^([ \t]*output[ \t]*=[ \t]*)"([^"]*)"/m, (line, lhs, value) => {
      if (path.isAbsolute(value)) return line;
      let rel = path.relative(toDir, path.resolve(fromDir, value)).split(path.sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      return `${lhs}"${rel}"`;
    });
    return open + rebased + close;
  });
}

/**
 * Writes a service's merged schema into outDir (emptied first) for `prisma generate
 * --schema <outDir>`: schema.prisma (the service schema, generator output rebased) and
 * the fragments under their repository paths (outDir/libs/<lib>/prisma/<name>.prisma),
 * each otherwise byte-for-byte, so line numbers in Prisma's messages match the sources.
 * Returns the list of files written.
 */
export function writeSchemaFolder(schemaPath, outDir, options = {}) {
  const abs = path.resolve(schemaPath);
  if (!statSync(abs).isFile()) throw new Error(`writeSchemaFolder: ${schemaPath} must be a single schema file`);
  const root = options.root ?? findRepoRoot(abs);
  const out = path.resolve(outDir);
  const fragments = resolveIncludes(abs, { root });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const written = [];
  const main = path.join(out, path.basename(abs));
  writeFileSync(main, rebaseGeneratorOutput(readFileSync(abs, 'utf8'), path.dirname(abs), out));
  written.push(main);
  for (const fragment of fragments) {
    const target = path.join(out, fragment.ref);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, fragment.content);
    written.push(target);
  }
  return written;
}
