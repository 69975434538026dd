#!/usr/bin/env node
// Read-path benchmark (issue 12), one run, next to a running `npm start`:
//   - a claims database filled to TOTAL_CLAIMS claims (the demo member, their
//     spouse and child enrolled; 25 claims of theirs among the others) served
//     by its own claims service (:3102) and gateway (:3100, per-IP limits
//     raised); identity, providers and referrals are the running stack's,
//     and PROVIDERS generated providers are imported into it (skipped when
//     already there);
//   - references: a bare Node `http` server with a fixed JSON body (:3106),
//     the gateway's and the claims service's /health/live;
//   - every member page through the gateway: GET /claims, /claims/{id},
//     /claims/summary, /me, /me/contracts/{n}/members, /home, /providers?q=
//     (the 500-query mix of bench:providers), /providers/{id};
//   - the naive baseline of GET /claims (bench/naive-claims: Express, Prisma
//     model queries, passport-jwt on each request) on the same data (:3105);
//   - each route closed loop at CLIENTS clients (throughput, p50/p99), then
//     open loop at OPEN_FRACTION of that throughput over as many connections
//     (p50/p99/p99.9, from each request's scheduled send time);
//   - CPU milliseconds per request of every process (PostgreSQL's too) in
//     each closed loop, idle and peak-under-load RSS of every process, and the
//     targets of the issue as PASS/FAIL lines.
//
//   npm start                 # in another terminal
//   npm run bench:read        # TOTAL_CLAIMS=1000000 PROVIDERS=50000 CLIENTS=100 DURATION=20 OPEN_DURATION=20 WARMUP=3 OPEN_WARMUP=2
//                             # OPEN_FRACTION=0.5 IDLE_SECONDS=8 ROUTES=<names, comma-separated> KEEP_DB=1 (keep the filled database)
//   TOTAL_CLAIMS=20000 PROVIDERS=2000 DURATION=3 OPEN_DURATION=3 WARMUP=1 npm run bench:read     # a smoke run
// Results are printed (a Markdown table for BENCHMARKS.md) and written to
// .data/bench-read.json and .data/bench-read.md. Exit code 0 when the run
// completed, whether or not the targets are met (STRICT=1: 1 when one fails).
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyMigrations, dropDatabase, ensureDatabase } from '../libs/db/src/engine.mjs';
import { DEMO_CAPTCHA_ANSWER, loginDemo } from '../scripts/lib/demo-account.mjs';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';
import { builtFile } from '../scripts/lib/prepare.mjs';
import { provisionTopics, startServices, stopServices, waitReady } from '../scripts/lib/stack.mjs';
import { DEMO_CLAIM_IDS, DEMO_CONTRACT, fillClaims, freshClaimsDatabase } from './lib/claims-data.mjs';
import {
  closedLoop,
  cpuPerRequest,
  cpuRates,
  cpuSnapshot,
  describeMachine,
  openLoop,
  pidOnPort,
  rssMiB,
  sampleRss,
  waitAnswers,
} from './lib/load.mjs';
import { importProviders, listedProviders, providerDirectory } from './lib/providers-data.mjs';

// --help: this file's header. The imports above have loaded by now, so a broken one fails the help too.
if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const TOTAL_CLAIMS = env('TOTAL_CLAIMS', 1_000_000);
const PROVIDERS = env('PROVIDERS', 50_000);
const CLIENTS = env('CLIENTS', 100);
const DURATION = env('DURATION', 20);
const OPEN_DURATION = env('OPEN_DURATION', DURATION);
const WARMUP = env('WARMUP', 3);
const OPEN_FRACTION = env('OPEN_FRACTION', 0.5);
const OPEN_WARMUP = env('OPEN_WARMUP', 2);
const IDLE_SECONDS = env('IDLE_SECONDS', 8);
const ONLY = process.env.ROUTES ? process.env.ROUTES.split(',').map((r) => r.trim()) : null;
const KEEP_DB = process.env.KEEP_DB === '1';
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const SERVER = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const CAPTCHA = process.env.CAPTCHA_TEST_ANSWER ?? DEMO_CAPTCHA_ANSWER;
const TOPIC_PREFIX = 'benchread.';
const ports = { gateway: 3100, identity: 3001, claims: 3102, referrals: 3003, providers: 3004, naive: 3105, bare: 3106 };
const origin = (name) => `http://127.0.0.1:${ports[name]}`;
const API = `${origin('gateway')}/api/v1`;
const claimsDbUrl = Object.assign(new URL(SERVER), { pathname: '/darman_bench_read_claims' }).toString();
const logDir = path.join(ROOT, '.data', 'bench-logs');
const log = (message) => console.log(`[bench:read] ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const runStarted = Date.now();

/** What the targets compare a route with: a share of the bare server's closed-loop throughput. */
const SHARE_OF_BARE = {
  'GET /claims': 0.03,
  'GET /claims/{id}': 0.03,
  'GET /claims/summary': 0.03,
  'GET /me': 0.03,
  'GET /me/contracts/{n}/members': 0.03,
  'GET /home': 0.03,
  'GET /providers?q=': 0.025,
  'GET /providers/{id}': 0.05,
};
const OPEN_P99_MS = 50;
const IDLE_RSS_MIB = 150;
const SERVICES = ['gateway', 'identity', 'claims', 'referrals', 'providers'];

/** Children this run started, stopped however it ends. */
const started = {};
let stopping = false;
async function stopAll() {
  if (stopping) return;
  stopping = true;
  await stopServices(started);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll().then(() => process.exit(130)));

function spawnNode(name, file, extraEnv) {
  mkdirSync(logDir, { recursive: true });
  const out = openSync(path.join(logDir, `${name}.out`), 'a');
  started[name] = spawn(process.execPath, ['--enable-source-maps', file], {
    cwd: ROOT,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', out, out],
  });
}

/** An access token of the demo member young enough for the next phase (tokens live 10 minutes). */
let token = null;
async function bearer() {
  if (!token || Date.now() - token.at > 120_000) {
    const tokens = await loginDemo(API, CAPTCHA);
    if (!tokens) throw new Error('the demo member cannot log in: is `npm start` running (it activates the demo account)?');
    token = { at: Date.now(), header: `Bearer ${tokens.accessToken}` };
  }
  return { authorization: token.header };
}

// 1. The stack: identity and providers must be the running `npm start`'s.
const machineInfo = describeMachine();
log(`machine: ${JSON.stringify(machineInfo)}`);
for (const svc of ['identity', 'providers', 'referrals']) {
  await waitAnswers(`${origin(svc)}/health/ready`, 5_000).catch(() => {
    throw new Error(`${svc} does not answer on :${ports[svc]}: start the stack with \`npm start\` first`);
  });
}

try {
  // 2. The claims database, its own claims service and a gateway in front of it.
  const setupStarted = Date.now();
  if (KEEP_DB) {
    await ensureDatabase(claimsDbUrl);
    await applyMigrations({ databaseUrl: claimsDbUrl, migrationsDir: path.join(ROOT, 'apps', 'claims', 'prisma', 'migrations') });
  } else await freshClaimsDatabase(claimsDbUrl);
  provisionTopics(BROKERS, TOPIC_PREFIX);
  Object.assign(
    started,
    startServices({
      ports,
      brokers: BROKERS,
      topicPrefix: TOPIC_PREFIX,
      databaseUrls: { claims: claimsDbUrl },
      logDir,
      only: ['claims', 'gateway'],
      // One client IP makes all the load; the stack's own services log at the default level, so these do too.
      extraEnv: { RATE_LIMIT_PER_MINUTE: '100000000', AUTH_RATE_LIMIT_PER_MINUTE: '100000000' },
    }),
  );
  // Ready means the read model is at its code's version (a fresh database is "rebuilt" at start), so the fill stays.
  await waitReady(ports, ['claims', 'gateway'], 90_000);
  // Memory before this run sends anything: the stack's services as they were, this run's two just ready.
  const startRss = Object.fromEntries(SERVICES.map((name) => [name, rssMiB(started[name]?.pid ?? pidOnPort(ports[name]))]));
  const db = new pg.Client({ connectionString: claimsDbUrl });
  await db.connect();
  const fillStarted = Date.now();
  const claimsInDatabase = await fillClaims(db, { total: TOTAL_CLAIMS, dependents: true });
  await db.end();
  log(`claims database: ${claimsInDatabase} claims (${((Date.now() - fillStarted) / 1000).toFixed(1)} s)`);

  // 3. The naive baseline and the bare server.
  spawnNode('naive', builtFile('bench/naive-claims/main.ts'), {
    PORT: String(ports.naive),
    DATABASE_URL: claimsDbUrl,
    IDENTITY_JWKS_URL: `${origin('identity')}/auth/jwks`,
  });
  spawnNode('bare', path.join(ROOT, 'bench', 'lib', 'bare-server.mjs'), { PORT: String(ports.bare) });
  await waitAnswers(`${origin('naive')}/api/v1/health`);
  await waitAnswers(`${origin('bare')}/`);

  // 4. The provider directory, imported into the running stack unless it is there already.
  const directory = providerDirectory(PROVIDERS);
  const lastId = directory.rows.at(-1).providerId;
  const present = (await listedProviders(API)) >= directory.contracted && (await fetch(`${API}/providers/${lastId}`)).status === 200;
  const providersImportSeconds = present
    ? null
    : await importProviders({ api: API, directory, env: { KAFKA_BROKERS: BROKERS, TOPIC_PREFIX: '' } });
  log(`providers: ${directory.rows.length} generated, ${present ? 'already imported' : `imported in ${providersImportSeconds} s`}`);
  const setupSeconds = (Date.now() - setupStarted) / 1000;

  // 5. The routes. Each path function rotates through its values.
  const rotate = (list) => {
    let i = 0;
    return () => list[i++ % list.length];
  };
  const claimPaths = DEMO_CLAIM_IDS.map((id) => `/api/v1/claims/${id}`);
  const searchPaths = directory.queries.map((q) => `/api/v1/providers?${new URLSearchParams(q)}`);
  // Every 97th generated provider (any of them, contracted or not: the detail shows both).
  const detailPaths = directory.rows.filter((_r, i) => i % 97 === 0).map((r) => `/api/v1/providers/${r.providerId}`);
  const ROUTES = [
    { name: 'bare node http', kind: 'reference', target: 'bare', paths: ['/'] },
    { name: 'gateway /health/live', kind: 'reference', target: 'gateway', paths: ['/health/live'] },
    { name: 'claims /health/live', kind: 'reference', target: 'claims', paths: ['/health/live'] },
    { name: 'naive GET /claims', kind: 'baseline', target: 'naive', auth: true, paths: ['/api/v1/claims?page=1&pageSize=10'] },
    { name: 'GET /claims', kind: 'page', target: 'gateway', auth: true, paths: ['/api/v1/claims?page=1&pageSize=10'] },
    { name: 'GET /claims/{id}', kind: 'page', target: 'gateway', auth: true, paths: claimPaths },
    // The gateway has no route of its own for the summary: /claims/:claimId relays it to the claims service's /claims/summary.
    { name: 'GET /claims/summary', kind: 'page', target: 'gateway', auth: true, paths: ['/api/v1/claims/summary'] },
    { name: 'GET /me', kind: 'page', target: 'gateway', auth: true, paths: ['/api/v1/me'] },
    {
      name: 'GET /me/contracts/{n}/members',
      kind: 'page',
      target: 'gateway',
      auth: true,
      paths: [`/api/v1/me/contracts/${DEMO_CONTRACT}/members?page=1&pageSize=10`],
    },
    { name: 'GET /home', kind: 'page', target: 'gateway', paths: ['/api/v1/home'], auth: true },
    { name: 'GET /providers?q=', kind: 'page', target: 'gateway', paths: searchPaths },
    { name: 'GET /providers/{id}', kind: 'page', target: 'gateway', paths: detailPaths },
  ].filter((r) => !ONLY || ONLY.includes(r.name) || r.name === 'bare node http');

  // What each route answers, checked once before any load: a wrong answer would make the figures meaningless.
  const checks = {
    'naive GET /claims': (b) => b.total === 25 && b.items.length === 10,
    'GET /claims': (b) => b.total === 25 && b.items.length === 10,
    'GET /claims/{id}': (b) => b.claimId === 'D1' && Array.isArray(b.timeline),
    'GET /claims/summary': (b) => typeof b.inProgress === 'number' && b.inProgress > 0,
    'GET /me': (b) => b.nationalCode === '0499370899',
    'GET /me/contracts/{n}/members': (b) => b.total >= 1,
    'GET /home': (b) => typeof b.counts?.claimsInProgress === 'number',
    'GET /providers?q=': (b) => Array.isArray(b.items),
    'GET /providers/{id}': (b) => typeof b.providerId === 'string' && typeof b.referralAdvice === 'object',
  };
  for (const route of ROUTES) {
    const response = await fetch(`${origin(route.target)}${route.paths[0]}`, { headers: route.auth ? await bearer() : {} });
    const text = await response.text();
    route.bytes = Buffer.byteLength(text);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (response.status !== 200 || (checks[route.name] && !checks[route.name](body)))
      throw new Error(`${route.name}: unexpected answer ${response.status} ${text.slice(0, 300)}`);
  }

  // 6. Idle memory: every process, after the seeding and a few seconds without requests (the targets use this one).
  const pids = Object.fromEntries(
    [...SERVICES, 'naive', 'bare'].map((name) => [name, started[name]?.pid ?? pidOnPort(ports[name])]).filter(([, pid]) => pid),
  );
  // The same seconds give each process's idle CPU, taken out of the per-request figures below.
  const cpuPids = { ...pids, generator: process.pid };
  const idleCpuBefore = cpuSnapshot(cpuPids);
  await sleep(IDLE_SECONDS * 1000);
  const idleCpu = cpuRates(idleCpuBefore, cpuSnapshot(cpuPids), IDLE_SECONDS);
  log(`idle CPU (share of a core): ${JSON.stringify(idleCpu)}`);
  const idleRss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMiB(pid)]));
  log(`idle RSS (MiB): ${JSON.stringify(idleRss)}`);

  // 7. Load: per route, a warm-up, the closed loop, then the open loop at a fraction of its throughput.
  const sampler = sampleRss(pids);
  const results = [];
  for (const route of ROUTES) {
    const base = { origin: origin(route.target), nextPath: rotate(route.paths) };
    if (WARMUP > 0) await closedLoop({ ...base, headers: route.auth ? await bearer() : {}, connections: CLIENTS, duration: WARMUP });
    const headers = route.auth ? await bearer() : {};
    const cpuBefore = cpuSnapshot(cpuPids);
    const closedStarted = Date.now();
    const closed = await closedLoop({ ...base, headers, connections: CLIENTS, duration: DURATION });
    // CPU per request, by process: far steadier than throughput on a machine shared with other work.
    const closedSeconds = (Date.now() - closedStarted) / 1000;
    closed.cpuMsPerRequest = cpuPerRequest(cpuBefore, cpuSnapshot(cpuPids), closed.requests, closedSeconds, idleCpu);
    await sleep(500);
    const rate = Math.max(1, closed.throughputPerSecond * OPEN_FRACTION);
    const open = await openLoop({
      ...base,
      headers: route.auth ? await bearer() : {},
      rate,
      duration: OPEN_DURATION,
      warmup: OPEN_WARMUP,
      maxSockets: CLIENTS,
    });
    results.push({
      name: route.name,
      kind: route.kind,
      url: `${base.origin}${route.paths[0]}`,
      paths: route.paths.length,
      bytes: route.bytes,
      closed,
      open,
    });
    log(
      `${route.name}: closed ${closed.throughputPerSecond} req/s p50 ${closed.p50Ms} ms p99 ${closed.p99Ms} ms (errors ${closed.errors}); ` +
        `open ${open.sentPerSecond}/${open.targetPerSecond} req/s p50 ${open.p50Ms} p99 ${open.p99Ms} p99.9 ${open.p999Ms} ms (errors ${open.errors}, send lag ≤ ${open.maxSendLagMs} ms)`,
    );
    await sleep(500);
  }
  const peakRss = sampler.stop();

  // 8. Targets, within this run.
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  const bare = byName['bare node http'].closed.throughputPerSecond;
  const lines = [];
  const check = (ok, text) => lines.push(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  const pct = (x) => `${(x * 100).toFixed(2)}%`;
  for (const [name, share] of Object.entries(SHARE_OF_BARE)) {
    const r = byName[name];
    if (!r) continue;
    const ratio = r.closed.throughputPerSecond / bare;
    check(ratio >= share, `${name} closed loop ${r.closed.throughputPerSecond} req/s = ${pct(ratio)} of bare (target ≥ ${pct(share)})`);
  }
  if (byName['GET /claims'] && byName['naive GET /claims']) {
    const ratio = byName['GET /claims'].closed.throughputPerSecond / byName['naive GET /claims'].closed.throughputPerSecond;
    check(ratio >= 2, `GET /claims closed loop = ${ratio.toFixed(2)}× the naive baseline (target ≥ 2×)`);
  }
  for (const r of results.filter((x) => x.kind === 'page')) {
    check(
      r.open.p99Ms !== null && r.open.p99Ms <= OPEN_P99_MS && r.open.errors === 0,
      `${r.name} open loop at ${r.open.targetPerSecond} req/s: p99 ${r.open.p99Ms} ms, ${r.open.errors} errors (target p99 ≤ ${OPEN_P99_MS} ms)`,
    );
  }
  for (const svc of SERVICES) {
    if (idleRss[svc] === undefined) continue;
    check(idleRss[svc] <= IDLE_RSS_MIB, `${svc} idle RSS ${idleRss[svc]} MiB (target ≤ ${IDLE_RSS_MIB} MiB)`);
  }
  const failedAnswers = results.filter((r) => r.closed.errors > 0 || r.open.errors > 0).map((r) => r.name);
  check(failedAnswers.length === 0, `every answer 2xx${failedAnswers.length ? ` (not: ${failedAnswers.join(', ')})` : ''}`);

  // 9. Report.
  const runSeconds = (Date.now() - runStarted) / 1000;
  const command = `TOTAL_CLAIMS=${TOTAL_CLAIMS} PROVIDERS=${PROVIDERS} CLIENTS=${CLIENTS} DURATION=${DURATION} OPEN_DURATION=${OPEN_DURATION} WARMUP=${WARMUP} OPEN_WARMUP=${OPEN_WARMUP} OPEN_FRACTION=${OPEN_FRACTION} npm run bench:read`;
  const ms = (v) => (v === null || v === undefined ? '—' : String(v));
  const table = [
    `| route | bytes | closed req/s (${CLIENTS} clients) | × bare | p50 ms | p99 ms | open target req/s | open sent req/s | p50 ms | p99 ms | p99.9 ms | send lag ms | errors |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.bytes} | ${r.closed.throughputPerSecond} | ${pct(r.closed.throughputPerSecond / bare)} | ${ms(r.closed.p50Ms)} | ${ms(r.closed.p99Ms)} | ` +
        `${r.open.targetPerSecond} | ${r.open.sentPerSecond} | ${ms(r.open.p50Ms)} | ${ms(r.open.p99Ms)} | ${ms(r.open.p999Ms)} | ${ms(r.open.maxSendLagMs)} | ${r.closed.errors + r.open.errors} |`,
    ),
  ];
  const cpuColumns = [...Object.keys(pids), 'postgres', 'generator'];
  const sum = (values) => Object.entries(values).reduce((n, [name, v]) => (name === 'generator' ? n : n + v), 0);
  const cpuTable = [
    `| route (closed loop) | ${cpuColumns.join(' | ')} | all but the generator |`,
    `|---|${cpuColumns.map(() => '---|').join('')}---|`,
    ...results.map(
      (r) =>
        `| ${r.name} | ${cpuColumns.map((c) => ms(r.closed.cpuMsPerRequest[c])).join(' | ')} | ${Number(sum(r.closed.cpuMsPerRequest).toPrecision(3))} |`,
    ),
  ];
  const rssTable = [
    '| process | port | RSS before the run MiB | idle RSS before load MiB | peak RSS under load MiB |',
    '|---|---|---|---|---|',
    ...Object.keys(pids).map(
      (name) => `| ${name} | ${ports[name]} | ${ms(startRss[name])} | ${ms(idleRss[name])} | ${ms(peakRss[name])} |`,
    ),
  ];
  const markdown = [
    `Machine: ${machineInfo.nproc} cores (${machineInfo.cpu}), ${machineInfo.ramGiB} GiB, Node ${machineInfo.node}; load average at start ${machineInfo.loadAverageAtStart.join(' ')}.`,
    `Command: \`${command}\` (${claimsInDatabase.toLocaleString('en')} claims, ${PROVIDERS.toLocaleString('en')} providers; run ${Math.round(runSeconds)} s).`,
    '',
    ...table,
    '',
    "CPU milliseconds per request, by process, during the closed loop, less each process's idle CPU (— under 0.01 ms):",
    '',
    ...cpuTable,
    '',
    ...rssTable,
    '',
    '```',
    ...lines,
    '```',
    '',
  ].join('\n');
  const report = {
    at: new Date().toISOString(),
    machine: machineInfo,
    command,
    settings: { TOTAL_CLAIMS, PROVIDERS, CLIENTS, DURATION, OPEN_DURATION, OPEN_WARMUP, WARMUP, OPEN_FRACTION, IDLE_SECONDS, routes: ONLY },
    claimsInDatabase,
    providers: { generated: directory.rows.length, contracted: directory.contracted, importSeconds: providersImportSeconds },
    setupSeconds,
    runSeconds,
    routes: results,
    rss: { pids, beforeRunMiB: startRss, idleMiB: idleRss, peakUnderLoadMiB: peakRss },
    idleCpuShareOfCore: idleCpu,
    targets: lines,
  };
  mkdirSync(path.join(ROOT, '.data'), { recursive: true });
  writeFileSync(path.join(ROOT, '.data', 'bench-read.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(ROOT, '.data', 'bench-read.md'), markdown);
  console.log(`\n${markdown}`);
  await stopAll();
  if (!KEEP_DB) await dropDatabase(claimsDbUrl);
  process.exit(process.env.STRICT === '1' && lines.some((l) => l.startsWith('FAIL')) ? 1 : 0);
} catch (error) {
  await stopAll();
  throw error;
}
