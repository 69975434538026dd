import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICES } from './engine.mjs';
import { parseIncludes, readSchemaFiles, rebaseGeneratorOutput, resolveIncludes, writeSchemaFolder } from './schema.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const GENERATOR = 'generator client {\n  provider = "prisma-client"\n  output   = "../src/generated/prisma"\n}\n';
const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n}\n';
const INBOX = '/// The inbox.\nmodel InboxEvent {\n  id String @id\n\n  @@map("inbox_events")\n}\n';
const OUTBOX = 'model OutboxMessage {\n  id String @id\n}\n';

/** A throw-away repository: package.json, two fragments, one service schema. */
function fakeRepo(schema: string, fragments: Record<string, string> = {}): { root: string; schemaPath: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'darman-schema-'));
  writeFileSync(path.join(root, 'package.json'), '{}');
  const files = { 'libs/messaging/prisma/inbox.prisma': INBOX, 'libs/messaging/prisma/outbox.prisma': OUTBOX, ...fragments };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  const schemaPath = path.join(root, 'apps', 'svc', 'prisma', 'schema.prisma');
  mkdirSync(path.dirname(schemaPath), { recursive: true });
  writeFileSync(schemaPath, schema);
  return { root, schemaPath };
}

const roots: string[] = [];
function repo(schema: string, fragments?: Record<string, string>) {
  const r = fakeRepo(schema, fragments);
  roots.push(r.root);
  return r;
}
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('parseIncludes', () => {
  it('reads `// @include` lines in order and ignores doc comments and other comments', () => {
    const schema = [
      '// @include libs/messaging/prisma/inbox.prisma',
      '  //@include   libs/access/prisma/registry.prisma  ',
      '/// @include libs/messaging/prisma/outbox.prisma',
      '// see @include below',
    ].join('\n');
    expect(parseIncludes(schema)).toEqual(['libs/messaging/prisma/inbox.prisma', 'libs/access/prisma/registry.prisma']);
  });

  it.each([
    ['// @include', /expected/],
    ['// @includes libs/messaging/prisma/inbox.prisma', /expected/],
    ['// @include a.prisma b.prisma', /expected/],
    ['// @include ../libs/messaging/prisma/inbox.prisma', /libs\/<lib>\/prisma\/<name>\.prisma/],
    ['// @include apps/claims/prisma/schema.prisma', /libs\/<lib>\/prisma\/<name>\.prisma/],
    ['// @include libs/messaging/src/inbox.ts', /libs\/<lib>\/prisma\/<name>\.prisma/],
  ])('rejects %s', (line, message) => {
    expect(() => parseIncludes(`${DATASOURCE}\n${line}\n`, 'schema.prisma')).toThrow(message);
  });

  it('names the file and line of a bad directive', () => {
    expect(() => parseIncludes('\n\n// @include nope', 'apps/x/prisma/schema.prisma')).toThrow('apps/x/prisma/schema.prisma:3');
  });

  it('rejects a fragment included twice', () => {
    const line = '// @include libs/messaging/prisma/inbox.prisma\n';
    expect(() => parseIncludes(line + line)).toThrow(/twice/);
  });
});

describe('readSchemaFiles', () => {
  it('returns the service schema, then its fragments from where they live', () => {
    const { root, schemaPath } = repo(
      `${GENERATOR}\n${DATASOURCE}\n// @include libs/messaging/prisma/outbox.prisma\n// @include libs/messaging/prisma/inbox.prisma\n`,
    );
    const files = readSchemaFiles(schemaPath);
    expect(files.map((f) => path.relative(root, f.path))).toEqual([
      'apps/svc/prisma/schema.prisma',
      'libs/messaging/prisma/outbox.prisma',
      'libs/messaging/prisma/inbox.prisma',
    ]);
    expect(files[2].content).toBe(INBOX);
  });

  it('is the schema alone when it includes nothing', () => {
    const { schemaPath } = repo(`${GENERATOR}\n${DATASOURCE}`);
    expect(readSchemaFiles(schemaPath)).toHaveLength(1);
  });

  it('fails on a fragment that does not exist, naming the schema', () => {
    const { schemaPath } = repo(`${DATASOURCE}// @include libs/messaging/prisma/nope.prisma\n`);
    expect(() => readSchemaFiles(schemaPath)).toThrow(/apps\/svc\/prisma\/schema\.prisma.*no such file/);
  });

  it('fails on a fragment with a generator or datasource block', () => {
    const { schemaPath } = repo(`${DATASOURCE}// @include libs/messaging/prisma/bad.prisma\n`, {
      'libs/messaging/prisma/bad.prisma': `${DATASOURCE}\n${OUTBOX}`,
    });
    expect(() => readSchemaFiles(schemaPath)).toThrow(/cannot declare a datasource block/);
  });

  it('fails on a fragment that includes another one', () => {
    const { schemaPath } = repo(`${DATASOURCE}// @include libs/messaging/prisma/nested.prisma\n`, {
      'libs/messaging/prisma/nested.prisma': `// @include libs/messaging/prisma/inbox.prisma\n${OUTBOX}`,
    });
    expect(() => readSchemaFiles(schemaPath)).toThrow(/cannot @include another fragment/);
  });
});

describe('writeSchemaFolder', () => {
  it('writes the merged schema with the generator output rebased and the fragments byte for byte', () => {
    const { root, schemaPath } = repo(`${GENERATOR}\n${DATASOURCE}\n// @include libs/messaging/prisma/inbox.prisma\n`);
    const out = path.join(root, '.cache', 'prisma', 'svc');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'stale.prisma'), 'model Stale {\n  id Int @id\n}\n');

    writeSchemaFolder(schemaPath, out);

    expect(readdirSync(out, { recursive: true }).map(String).sort()).toEqual([
      'libs',
      'libs/messaging',
      'libs/messaging/prisma',
      'libs/messaging/prisma/inbox.prisma',
      'schema.prisma',
    ]);
    const main = readFileSync(path.join(out, 'schema.prisma'), 'utf8');
    expect(main).toContain('output   = "../../../apps/svc/src/generated/prisma"');
    expect(main.split('\n')).toHaveLength(readFileSync(schemaPath, 'utf8').split('\n').length);
    expect(readFileSync(path.join(out, 'libs/messaging/prisma/inbox.prisma'), 'utf8')).toBe(INBOX);
    // The folder is a complete schema: reading it again does not add the fragments twice.
    expect(readSchemaFiles(out)).toHaveLength(2);
    expect(resolveIncludes(out)).toEqual([]);
  });

  it('leaves absolute outputs and other generator fields alone', () => {
    const schema = 'generator a {\n  provider = "x"\n  output = "/abs/out"\n}\ngenerator b {\n  output = "gen"\n}\n';
    expect(rebaseGeneratorOutput(schema, '/r/apps/s/prisma', '/r/.cache/prisma/s')).toBe(
      'generator a {\n  provider = "x"\n  output = "/abs/out"\n}\ngenerator b {\n  output = "../../../apps/s/prisma/gen"\n}\n',
    );
  });
});

describe('the repository', () => {
  const schemaOf = (svc: string) => path.join(REPO_ROOT, 'apps', svc, 'prisma', 'schema.prisma');
  const modelNames = (content: string) => [...content.matchAll(/^\s*(?:model|enum|view)\s+(\w+)\s*\{/gm)].map((m) => m[1]);

  it.each([...SERVICES])('%s: every include resolves and no model is defined twice', (svc) => {
    const files = readSchemaFiles(schemaOf(svc));
    const names = files.flatMap((f) => modelNames(f.content));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('every fragment in libs/*/prisma is included by some service', () => {
    const fragments = readdirSync(path.join(REPO_ROOT, 'libs'), { recursive: true })
      .map(String)
      .filter((p) => /^[^/]+\/prisma\/[^/]+\.prisma$/.test(p))
      .map((p) => `libs/${p}`);
    const included = new Set(SERVICES.flatMap((svc) => resolveIncludes(schemaOf(svc)).map((f) => f.ref)));
    expect(fragments.length).toBeGreaterThan(0);
    expect(fragments.filter((f) => !included.has(f))).toEqual([]);
  });
});
