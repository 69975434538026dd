#!/usr/bin/env node
// Referral letters benchmark (issue 13), one run, next to a running `npm start` (its identity signs the tokens and
// its Kafka carries the events):
//   - its own referrals service (:3103) on a fresh database darman_bench_referrals, fed the demo seed on its own
//     topic prefix, and a gateway (:3100, per-IP limits raised) in front of it; a bare Node `http` server (:3106)
//     as the machine's ceiling, measured in the same run;
//   - POST /referrals through the gateway with two 1 MB files (a PDF prescription and a JPEG photo of the national
//     card, re-encoded by the service), CLIENTS_UPLOAD closed-loop clients for DURATION s: throughput, p50/p95/p99,
//     and the referrals service's and gateway's peak RSS during it;
//   - GET /referrals (a page of the main member's requests) closed loop at CLIENTS clients against the bare server at
//     the same concurrency, then open loop at half the list's maximum (p50/p99/p99.9).
//
//   npm start                      # in another terminal
//   npm run bench:referrals        # CLIENTS_UPLOAD=20 CLIENTS=100 DURATION=15 WARMUP=2 OPEN_DURATION=15
// Results are printed and written to .data/bench-referrals.{json,md}.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { Pool } from 'undici';
import { applyMigrations, dropDatabase, ensureDatabase } from '../libs/db/src/engine.mjs';
import { DEMO_CAPTCHA_ANSWER, loginDemo } from '../scripts/lib/demo-account.mjs';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';
import { builtFile } from '../scripts/lib/prepare.mjs';
import { provisionTopics, seed, startServices, stopServices, waitReady } from '../scripts/lib/stack.mjs';
import {
  closedLoop,
  cpuPerRequest,
  cpuSnapshot,
  describeMachine,
  openLoop,
  percentile,
  pidOnPort,
  rssMiB,
  sampleRss,
  waitAnswers,
} from './lib/load.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (helpRequested()) {
  console.log(headerComment(fileURLToPath(import.meta.url)));
  process.exit(0);
}
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const CLIENTS_UPLOAD = env('CLIENTS_UPLOAD', 20);
const CLIENTS = env('CLIENTS', 100);
const DURATION = env('DURATION', 15);
const WARMUP = env('WARMUP', 2);
const OPEN_DURATION = env('OPEN_DURATION', 15);
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const TOPIC_PREFIX = 'benchref.';
const SERVER = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbUrl = `${SERVER.replace(/\/[^/]*$/, '')}/darman_bench_referrals`;
const ports = { gateway: 3100, identity: 3001, claims: 3002, referrals: 3103, providers: 3004, bare: 3106 };
const origin = (name) => `http://127.0.0.1:${ports[name]}`;
const API = `${origin('gateway')}/api/v1`;
const logDir = path.join(ROOT, '.data', 'bench-referrals-logs');
const MAIN = '0499370899';
const SPOUSE = '0499370902';
const started = {};
const log = (message) => console.error(`[bench:referrals] ${message}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function stopAll() {
  const services = Object.fromEntries(Object.entries(started).filter(([name]) => name !== 'bare'));
  started.bare?.kill('SIGTERM');
  await stopServices(services).catch(() => undefined);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll().then(() => process.exit(130)));

/** A multipart body built once (boundary, fields, two files), so the generator spends nothing on it per request. */
function multipartBody(fields, files) {
  const boundary = `----darmanbench${randomBytes(8).toString('hex')}`;
  const parts = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const { field, filename, type, bytes } of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
    );
    parts.push(bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** `clients` loops each sending the next POST when its answer came, for `duration` s; latency of the 201s. */
async function uploadLoop({ path: route, headers, body, clients, duration }) {
  const pool = new Pool(origin('gateway'), { connections: clients });
  const latencies = [];
  const statuses = {};
  const end = performance.now() + duration * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const answer = await pool.request({ method: 'POST', path: route, headers, body });
        await answer.body.text();
        statuses[answer.statusCode] = (statuses[answer.statusCode] ?? 0) + 1;
        if (answer.statusCode === 201) latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const ms = (p) => Number(percentile(latencies, p)?.toFixed(1));
  return {
    clients,
    seconds: Number(seconds.toFixed(1)),
    created: latencies.length,
    throughputPerSecond: Number((latencies.length / seconds).toFixed(1)),
    p50Ms: ms(50),
    p95Ms: ms(95),
    p99Ms: ms(99),
    statuses,
  };
}

const machineInfo = describeMachine();
log(`machine: ${JSON.stringify(machineInfo)}`);
await waitAnswers(`${origin('identity')}/health/ready`, 5_000).catch(() => {
  throw new Error('identity does not answer on :3001: start the stack with `npm start` first');
});
let result;
try {
  await dropDatabase(dbUrl).catch(() => undefined);
  await ensureDatabase(dbUrl);
  await applyMigrations({ databaseUrl: dbUrl, migrationsDir: path.join(ROOT, 'apps', 'referrals', 'prisma', 'migrations') });
  provisionTopics(BROKERS, TOPIC_PREFIX);
  Object.assign(
    started,
    startServices({
      ports,
      brokers: BROKERS,
      topicPrefix: TOPIC_PREFIX,
      databaseUrls: { referrals: dbUrl },
      logDir,
      only: ['referrals', 'gateway'],
      extraEnv: { RATE_LIMIT_PER_MINUTE: '100000000', AUTH_RATE_LIMIT_PER_MINUTE: '100000000' },
    }),
  );
  await waitReady(ports, ['referrals', 'gateway'], 90_000);
  seed(BROKERS, TOPIC_PREFIX);
  mkdirSync(logDir, { recursive: true });
  const bareOut = openSync(path.join(logDir, 'bare.out'), 'a');
  started.bare = spawn(process.execPath, [path.join(ROOT, 'bench', 'lib', 'bare-server.mjs')], {
    env: { ...process.env, PORT: String(ports.bare) },
    stdio: ['ignore', bareOut, bareOut],
  });
  await waitAnswers(`${origin('bare')}/`);
  const tokens = await loginDemo(API, process.env.CAPTCHA_TEST_ANSWER ?? DEMO_CAPTCHA_ANSWER);
  if (!tokens) throw new Error('the demo member cannot log in: is `npm start` running (it activates the demo account)?');
  const headers = { authorization: `Bearer ${tokens.accessToken}` };

  // Two 1 MB files: the prescription as a PDF, the national card as a phone photo (JPEG, re-encoded by the service).
  const { pdfOfSize } = await import(builtFile('apps/referrals/src/attachments/attachment-fixtures.ts'));
  const prescription = pdfOfSize(1024 * 1024);
  let quality = 92;
  let photo = await sharp({ create: { width: 1400, height: 1000, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality })
    .toBuffer();
  while (photo.length > 1.1 * 1024 * 1024 && quality > 40) {
    quality -= 8;
    photo = await sharp({ create: { width: 1400, height: 1000, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality })
      .toBuffer();
  }
  const fields = (patient) => ({
    patientNationalCode: patient,
    contractNumber: '1722169',
    providerId: '1002',
    admissionDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    doctorName: 'دکتر بنچمارک',
    reason: 'جراحی آپاندیس',
    serviceCategory: 'SURGERY',
  });
  const files = [
    { field: 'prescription', filename: 'prescription.pdf', type: 'application/pdf', bytes: prescription },
    { field: 'nationalCard', filename: 'card.jpg', type: 'image/jpeg', bytes: photo },
  ];
  const upload = multipartBody(fields(SPOUSE), files);
  const listBody = multipartBody(fields(MAIN), files);
  // The copies of members and centres come from the seed on this run's topic prefix.
  for (const deadline = Date.now() + 60_000; ;) {
    const answer = await fetch(`${API}/referrals`, {
      method: 'POST',
      headers: { ...headers, 'content-type': listBody.contentType },
      body: listBody.body,
    });
    if (answer.status === 201) break;
    if (Date.now() > deadline) throw new Error(`POST /referrals answered ${answer.status}: ${await answer.text()}`);
    await sleep(500);
  }
  // Ten requests of the main member for the list (a page of them).
  for (let i = 0; i < 9; i++) {
    await fetch(`${API}/referrals`, { method: 'POST', headers: { ...headers, 'content-type': listBody.contentType }, body: listBody.body });
  }
  log(`files: prescription ${prescription.length} B, photo ${photo.length} B (JPEG q${quality}); body ${upload.body.length} B`);

  const pids = { referrals: started.referrals.pid ?? pidOnPort(ports.referrals), gateway: started.gateway.pid ?? pidOnPort(ports.gateway) };
  const idleRss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMiB(pid)]));
  const uploadHeaders = { ...headers, 'content-type': upload.contentType };
  await uploadLoop({ path: '/api/v1/referrals', headers: uploadHeaders, body: upload.body, clients: CLIENTS_UPLOAD, duration: WARMUP });
  const sampler = sampleRss(pids, 100);
  const cpuBefore = cpuSnapshot({ ...pids, generator: process.pid });
  const uploads = await uploadLoop({
    path: '/api/v1/referrals',
    headers: uploadHeaders,
    body: upload.body,
    clients: CLIENTS_UPLOAD,
    duration: DURATION,
  });
  const peakRss = sampler.stop();
  // CPU per created request, by process (the referrals service's includes sharp's libvips threads).
  const uploadCpuMs = cpuPerRequest(cpuBefore, cpuSnapshot({ ...pids, generator: process.pid }), uploads.created, uploads.seconds);
  log(`POST /referrals: ${JSON.stringify(uploads)}; peak RSS ${JSON.stringify(peakRss)}`);

  const listPath = `/api/v1/referrals?nationalCode=${MAIN}&pageSize=10`;
  await closedLoop({ origin: origin('gateway'), nextPath: () => listPath, headers, connections: CLIENTS, duration: WARMUP });
  const bare = await closedLoop({ origin: origin('bare'), nextPath: () => '/', connections: CLIENTS, duration: DURATION });
  const list = await closedLoop({ origin: origin('gateway'), nextPath: () => listPath, headers, connections: CLIENTS, duration: DURATION });
  const rate = Math.max(1, Math.round(list.throughputPerSecond / 2));
  const listOpen = await openLoop({
    origin: origin('gateway'),
    nextPath: () => listPath,
    headers,
    rate,
    duration: OPEN_DURATION,
    warmup: WARMUP,
  });
  result = {
    at: new Date().toISOString(),
    machine: machineInfo,
    command: `CLIENTS_UPLOAD=${CLIENTS_UPLOAD} CLIENTS=${CLIENTS} DURATION=${DURATION} WARMUP=${WARMUP} OPEN_DURATION=${OPEN_DURATION} npm run bench:referrals`,
    files: { prescriptionBytes: prescription.length, photoBytes: photo.length, bodyBytes: upload.body.length },
    uploads,
    uploadCpuMs,
    rss: { idleMiB: idleRss, peakDuringUploadsMiB: peakRss },
    list: {
      bare,
      closed: list,
      shareOfBare: Number(((100 * list.throughputPerSecond) / bare.throughputPerSecond).toFixed(2)),
      open: listOpen,
    },
  };
} finally {
  await stopAll();
  await dropDatabase(dbUrl).catch(() => undefined);
}
const md = [
  `One run of \`${result.command}\` at ${result.at} (${result.machine.nproc} cores, ${result.machine.cpu}, Node ${result.machine.node}, load ${result.machine.loadAverageAtStart.join(' ')}).`,
  '',
  '| what | clients | req/s | p50 ms | p95 ms | p99 ms | answers |',
  '|---|---|---|---|---|---|---|',
  `| POST /referrals, 2 × 1 MB (${result.files.bodyBytes} B body) | ${result.uploads.clients} | ${result.uploads.throughputPerSecond} | ${result.uploads.p50Ms} | ${result.uploads.p95Ms} | ${result.uploads.p99Ms} | ${JSON.stringify(result.uploads.statuses)} |`,
  `| bare node http | ${result.list.bare.connections} | ${result.list.bare.throughputPerSecond} | ${result.list.bare.p50Ms} | — | ${result.list.bare.p99Ms} | ${JSON.stringify(result.list.bare.statuses)} |`,
  `| GET /referrals (page of 10) | ${result.list.closed.connections} | ${result.list.closed.throughputPerSecond} (${result.list.shareOfBare}% of bare) | ${result.list.closed.p50Ms} | — | ${result.list.closed.p99Ms} | ${JSON.stringify(result.list.closed.statuses)} |`,
  `| GET /referrals, open loop at ${result.list.open.targetPerSecond} req/s | — | ${result.list.open.sentPerSecond} | ${result.list.open.p50Ms} | — | ${result.list.open.p99Ms} (p99.9 ${result.list.open.p999Ms}) | errors ${result.list.open.errors} |`,
  '',
  `CPU ms per created request during the uploads: ${Object.entries(result.uploadCpuMs)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}.`,
  '',
  `RSS MiB: referrals idle ${result.rss.idleMiB.referrals}, peak during the uploads ${result.rss.peakDuringUploadsMiB.referrals}; gateway idle ${result.rss.idleMiB.gateway}, peak ${result.rss.peakDuringUploadsMiB.gateway}.`,
].join('\n');
mkdirSync(path.join(ROOT, '.data'), { recursive: true });
writeFileSync(path.join(ROOT, '.data', 'bench-referrals.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(path.join(ROOT, '.data', 'bench-referrals.md'), `${md}\n`);
console.log(md);
