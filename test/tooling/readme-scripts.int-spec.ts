// Every npm script README.md names runs here in a mode that proves it resolves:
// for real against the test broker and fresh test databases where it needs
// infrastructure, with --help otherwise (a help mode loads the script's
// imports, so a broken path still fails). The list comes from README.md, so a
// script added there later is covered too: by the --help check unless it has
// its own below.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createServiceDatabase, dropDatabase, testBrokers, testPostgresServer, uniqueToken, withDatabaseName } from '@darman/testing';
import {
  describeRun,
  expectExit,
  namedPathExists,
  npmRun,
  packageScripts,
  pathsIn,
  readmeScripts,
  ROOT,
  run,
  sourceFiles,
} from './tooling.js';

const README_SCRIPTS = readmeScripts();
const token = uniqueToken();
const prefixes: string[] = [];
const databases: string[] = [];

function topicPrefix(what: string): string {
  const prefix = `tool${what}${token}.`;
  prefixes.push(prefix);
  return prefix;
}

const kafka = () => new Kafka({ brokers: testBrokers().split(','), clientId: 'tooling-test', logLevel: logLevel.NOTHING });

async function withAdmin<T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Messages now in a topic, over all partitions. */
const messagesIn = (topic: string) =>
  withAdmin(async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0));

function provision(prefix: string): number {
  const result = expectExit(
    'npm run topics:provision',
    npmRun('topics:provision', [], { KAFKA_BROKERS: testBrokers(), TOPIC_PREFIX: prefix }),
  );
  const counts = /topics: (\d+) created, (\d+) already there/.exec(result.stdout);
  if (!counts) throw new Error(`unexpected output. ${describeRun('npm run topics:provision', result)}`);
  return Number(counts[1]);
}

/** The usual check: `npm run <name> -- --help` exits 0 and prints its usage. */
function helpCheck(name: string, mentions?: RegExp): void {
  const result = expectExit(`npm run ${name} -- --help`, npmRun(name, ['--help']));
  expect(`${result.stdout}${result.stderr}`.trim()).not.toBe('');
  if (mentions) expect(`${result.stdout}${result.stderr}`).toMatch(mentions);
}

const checks: Record<string, () => Promise<void> | void> = {
  build: () => {
    expectExit('npm run build', npmRun('build'));
    expect(existsSync(path.join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js'))).toBe(true);
  },

  // CI runs `npm test` only, so this is where the lint the README promises is enforced.
  lint: () => void expectExit('npm run lint', npmRun('lint')),

  // Running it for real would rewrite the clients other test files are loading.
  'db:generate': () => helpCheck('db:generate', /usage/),
  // Running it for real would write a migration into apps/<svc>/prisma when a schema is being edited.
  'db:migration:new': () => helpCheck('db:migration:new', /usage/),

  'db:migrate': async () => {
    const services = ['identity', 'claims', 'referrals', 'providers'].filter((s) => existsSync(path.join(ROOT, 'apps', s, 'prisma')));
    const env: Record<string, string> = {};
    for (const svc of services) {
      const url = withDatabaseName(testPostgresServer(), `it_tool_migrate_${svc}_${token}`);
      databases.push(url);
      await dropDatabase(url);
      env[`${svc.toUpperCase()}_DATABASE_URL`] = url;
    }
    expectExit('npm run db:migrate (fresh databases)', npmRun('db:migrate', [], env));
    for (const svc of services) {
      const client = new pg.Client({ connectionString: env[`${svc.toUpperCase()}_DATABASE_URL`] });
      await client.connect();
      try {
        const { rows } = await client.query<{ applied: number; unfinished: number }>(
          `SELECT count(*)::int AS applied, count(*) FILTER (WHERE finished_at IS NULL)::int AS unfinished FROM _prisma_migrations`,
        );
        expect(rows[0].applied).toBeGreaterThan(0);
        expect(rows[0].unfinished).toBe(0);
      } finally {
        await client.end();
      }
    }
    expectExit('npm run db:migrate (again: nothing to apply)', npmRun('db:migrate', [], env));
  },

  // Never start or stop the test broker: --help, and the status of the broker on the test port.
  'kafka:start': () => helpCheck('kafka:start', /kafka\.sh start/),
  'kafka:stop': () => {
    helpCheck('kafka:stop', /kafka\.sh stop/);
    const [host, port] = testBrokers().split(',')[0].split(':');
    if (!['127.0.0.1', 'localhost'].includes(host)) return;
    const status = run('bash', ['infra/kafka/kafka.sh', 'status'], { KAFKA_PORT: port });
    expect(status.stdout).toMatch(/^(running|not running|starting or unhealthy)/);
    expect([0, 1]).toContain(status.status);
  },

  'topics:provision': async () => {
    const prefix = topicPrefix('prov');
    const created = provision(prefix);
    expect(created).toBeGreaterThan(0);
    const topics = (await withAdmin((admin) => admin.listTopics())).filter((t) => t.startsWith(prefix));
    expect(topics).toHaveLength(created);
    expect(topics).toEqual(expect.arrayContaining([`${prefix}insurer.claims.v1`, `${prefix}insurer.claims.v1.dlq`]));
    expect(provision(prefix)).toBe(0);
  },

  seed: async () => {
    const prefix = topicPrefix('seed');
    provision(prefix);
    const result = expectExit('npm run seed', npmRun('seed', [], { KAFKA_BROKERS: testBrokers(), TOPIC_PREFIX: prefix }));
    const published = Number(/seed: published (\d+) insurer events/.exec(result.stdout)?.[1] ?? NaN);
    expect(published).toBeGreaterThan(0);
    expect(await messagesIn(`${prefix}insurer.members.v1`)).toBeGreaterThan(0);
  },

  'providers:import': async () => {
    helpCheck('providers:import', /providers:import/);
    const prefix = topicPrefix('prv');
    provision(prefix);
    const dir = mkdtempSync(path.join(tmpdir(), 'tooling-providers-'));
    const file = path.join(dir, 'providers.csv');
    writeFileSync(
      file,
      [
        'providerId,name,type,province,city,address,phone,fax,website,issuesReferral,onlineReferral,contracted,lat,lng',
        '9001,داروخانه آزمون,PHARMACY,فارس,شیراز,خیابان زند,,,,false,false,true,,',
        '9002,ردیف بد,NO_SUCH_TYPE,فارس,شیراز,خیابان زند,,,,false,false,true,,',
      ].join('\n'),
    );
    try {
      const result = npmRun('providers:import', [file], { KAFKA_BROKERS: testBrokers(), TOPIC_PREFIX: prefix });
      expectExit('npm run providers:import (one bad row)', result, 2);
      expect(result.stderr).toContain('line 3:');
      expect(result.stdout).toContain('1 published, 1 rejected');
      expect(await messagesIn(`${prefix}insurer.providers.v1`)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  'claims:rebuild': async () => {
    helpCheck('claims:rebuild', /claims:rebuild/);
    const url = await createServiceDatabase('claims', `it_tool_rebuild_${token}`);
    databases.push(url);
    const result = expectExit('npm run claims:rebuild (fresh claims database)', npmRun('claims:rebuild', [], { DATABASE_URL: url }));
    expect(result.stdout).toMatch(/claims rebuild: 0 claims from 0 stored events/);
  },

  'bench:identity': () => helpCheck('bench:identity', /npm run bench:identity/),
  'bench:claims': () => helpCheck('bench:claims', /npm run bench:claims/),
  'bench:providers': () => helpCheck('bench:providers', /npm run bench:providers/),
  'bench:read': () => helpCheck('bench:read', /npm run bench:read/),
};

afterAll(async () => {
  for (const url of databases) await dropDatabase(url).catch(() => undefined);
  if (prefixes.length === 0) return;
  await withAdmin(async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => prefixes.some((p) => t.startsWith(p)));
    if (topics.length) await admin.deleteTopics({ topics });
  }).catch(() => undefined);
}, 60_000);

describe('the npm scripts README.md names', () => {
  it('are read from README.md and each is defined in package.json', () => {
    expect(README_SCRIPTS).toEqual(expect.arrayContaining(['build', 'db:migrate', 'topics:provision', 'seed', 'kafka:stop']));
    const scripts = packageScripts();
    expect(README_SCRIPTS.filter((name) => !(name in scripts))).toEqual([]);
  });

  it.each(README_SCRIPTS)(
    'npm run %s resolves',
    async (name) => {
      await (checks[name] ?? (() => helpCheck(name)))();
    },
    600_000,
  );

  it('npm start -- --help prints the usage and starts nothing', () => {
    // Should the help ever stop working, these make the launcher fail at once instead of starting a stack.
    const result = npmRun(
      'start',
      ['--help'],
      { DARMAN_PREPARED: '1', KAFKA_BROKERS: '192.0.2.1:9', DATABASE_URL: 'postgresql://x@192.0.2.1:9/x' },
      60_000,
    );
    expectExit('npm start -- --help', result);
    expect(result.stdout).toContain('`npm start`');
  });
});

describe('package.json scripts and the paths scripts name', () => {
  it('name sources, not build outputs, and every file they name exists', () => {
    const files = sourceFiles();
    const problems: string[] = [];
    for (const [name, command] of Object.entries(packageScripts())) {
      for (const named of pathsIn(command)) {
        if (named.startsWith('dist/')) problems.push(`${name}: names the build output ${named}; name the source through scripts/run.mjs`);
        else if (!namedPathExists(named, files)) problems.push(`${name}: ${named} does not exist`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every dist/ path in the scripts, benchmarks and tests has a TypeScript source', () => {
    const files = sourceFiles();
    const problems: string[] = [];
    const scanned = files.filter(
      (f) =>
        /^(scripts|bench|test|apps|libs)\/.*\.(mjs|ts)$/.test(f) &&
        !/\/generated\//.test(f) &&
        f !== 'test/tooling/readme-scripts.int-spec.ts',
    );
    for (const file of scanned) {
      if (!existsSync(path.join(ROOT, file))) continue; // removed since it was listed (others edit the tree too)
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [literal] of text.matchAll(/(?<![\w.-])(?:\.\.\/)*dist\/[\w./${}-]+\.js/g)) {
        // '../dist/…' is relative to the file, 'dist/…' to the repository root (the scripts' working directory)
        const named = literal.startsWith('../') ? path.posix.join(path.posix.dirname(file), literal) : literal;
        if (!namedPathExists(named, files)) problems.push(`${file}: ${literal} has no source ${named.slice(5).replace(/\.js$/, '.ts')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
