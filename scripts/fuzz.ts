// `npm run fuzz`: fuzzes the public API from the gateway's OpenAPI document and the consumers of every insurer
// topic, on a stack of its own: the five services on ports 4605-4609, fresh databases fuzz_<svc>_<token>, a
// topic prefix of its own, against KAFKA_BROKERS or a broker it starts with infra/kafka/kafka.sh on 46192 (and
// stops afterwards). Rate limits are raised so they do not dominate (429 would still count, in the shape).
//   FUZZ_SEED       seed of every generated request and message (default 1404)
//   FUZZ_REQUESTS   API requests, half without and half with the demo member's token (default 10000)
//   FUZZ_MESSAGES   consumer messages over the four insurer topics (default 2000)
//   DATABASE_URL    PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
// Prints the figures, writes them to .data/fuzz.json and .data/fuzz.md, and exits 1 on any 5xx, error answer
// not in the API.md shape, request without answer, refused message missing from its DLQ, valid message failing
// in a handler, or service not ready afterwards. The fuzz library is test/fuzz; the e2e tier runs it with a
// fixed seed and a bounded count (test/e2e/fuzz.e2e-spec.ts).
// `npm run fuzz -- --help` prints this.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dropDatabase } from '@darman/db';
import { createKafka, TopicNamer } from '@darman/messaging';
import { fuzzApi } from '../test/fuzz/api-fuzzer.js';
import { fuzzConsumers } from '../test/fuzz/consumer-fuzzer.js';
import { problemsOf, toMarkdown, type FuzzRun } from '../test/fuzz/report.js';

// This file runs as dist/scripts/fuzz.js; the stack helpers are plain ESM beside the sources.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const stack = (await import(pathToFileURL(path.join(ROOT, 'scripts/lib/stack.mjs')).href)) as typeof import('./lib/stack.mjs');
const demo = (await import(pathToFileURL(path.join(ROOT, 'scripts/lib/demo-account.mjs')).href)) as typeof import('./lib/demo-account.mjs');

const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const ports = { gateway: 4605, identity: 4606, claims: 4607, referrals: 4608, providers: 4609 };
const CAPTCHA = 'fuzz-captcha';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    process.stderr.write(`fuzz: ${name} must be a non-negative integer, got "${raw}"\n`);
    process.exit(2);
  }
  return value;
}

const seedValue = intEnv('FUZZ_SEED', 1404);
const requests = intEnv('FUZZ_REQUESTS', 10_000);
const messages = intEnv('FUZZ_MESSAGES', 2_000);
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:46192';
const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const token = randomBytes(3).toString('hex');
const prefix = `fuzz${token}.`;
const databases = Object.fromEntries(SERVICES.map((s) => [s, `fuzz_${s}_${token}`]));
const databaseUrls = Object.fromEntries(SERVICES.map((s) => [s, stack.serviceDatabaseUrl(serverUrl, databases[s]!)]));
const dataDir = path.join(ROOT, '.data');
const log = (line: string) => process.stdout.write(`fuzz: ${line}\n`);

const startedAt = new Date().toISOString();
const kafkaStarted = await stack.ensureKafka(brokers, { KAFKA_PORT: brokers.split(':')[1]! });
let children: Awaited<ReturnType<typeof stack.startServices>> | undefined;
let exitCode = 1;
try {
  stack.migrate(serverUrl, databases);
  stack.provisionTopics(brokers, prefix);
  children = stack.startServices({
    ports,
    brokers,
    topicPrefix: prefix,
    databaseUrls,
    logDir: path.join(dataDir, 'fuzz-logs'),
    extraEnv: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      CAPTCHA_TEST_ANSWER: CAPTCHA,
      RATE_LIMIT_PER_MINUTE: '10000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000000',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
    },
  });
  await stack.waitReady(ports, undefined, 180_000);
  stack.seed(brokers, prefix);
  const api = `http://127.0.0.1:${ports.gateway}/api/v1`;
  await demo.ensureDemoAccount({ api, brokers, topicPrefix: prefix, captchaAnswer: CAPTCHA, timeoutMs: 60_000 });
  const tokens = await demo.loginDemo(api, CAPTCHA);
  if (!tokens) throw new Error('the demo member could not log in');

  log(`seed ${seedValue}: ${requests} API requests`);
  let lastShown = 0;
  const apiReport = await fuzzApi({
    origin: `http://127.0.0.1:${ports.gateway}`,
    accessToken: tokens.accessToken,
    seed: seedValue,
    requests,
    concurrency: 8,
    onProgress: (done, total) => {
      if (done - lastShown >= 1_000 || done === total) {
        lastShown = done;
        log(`  ${done}/${total}`);
      }
    },
  });
  log(`${messages} consumer messages`);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'darman-fuzz' });
  const consumerReport = await fuzzConsumers({
    kafka,
    namer: new TopicNamer(prefix),
    seed: seedValue,
    messages,
    databaseUrls,
    serviceOrigins: Object.fromEntries(['gateway', ...SERVICES].map((s) => [s, `http://127.0.0.1:${ports[s as keyof typeof ports]}`])),
    timeoutMs: 300_000,
  });
  const cpus = os.cpus();
  const run: FuzzRun = {
    startedAt,
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`,
    api: apiReport,
    consumers: consumerReport,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'fuzz.json'), `${JSON.stringify(run, null, 2)}\n`);
  const markdown = toMarkdown(run);
  writeFileSync(path.join(dataDir, 'fuzz.md'), markdown);
  process.stdout.write(`\n${markdown}\n`);
  const problems = problemsOf(run);
  for (const p of problems) log(`FAIL: ${p}`);
  log(problems.length ? 'failed (details in .data/fuzz.md and .data/fuzz.json)' : 'passed');
  exitCode = problems.length ? 1 : 0;
} catch (error) {
  process.stderr.write(`fuzz: ${(error as Error).stack ?? error}\n`);
} finally {
  if (children) await stack.stopServices(children);
  for (const url of Object.values(databaseUrls)) await dropDatabase(url).catch(() => undefined);
  if (kafkaStarted) stack.stopKafka(brokers);
}
process.exit(exitCode);
