#!/usr/bin/env node
// Claims benchmark (issue 4), one run, against the running stack's Kafka and PostgreSQL:
//   1. ~200,000 claim events for 60,000 claims (the five types, 1% duplicates,
//      5% of claims out of order, 0.5% invalid) are published to a fresh topic
//      prefix, and a dedicated claims service consumes them into a fresh
//      database: end-to-end throughput until the read model is complete, and
//      the p99 lag from publish to visible;
//   2. the read model is rebuilt from the event store (npm run claims:rebuild);
//   3. the same workload through a naive consumer (one handler call and one
//      Prisma upsert per event), as the baseline;
//   4. the database is filled to 1,000,000 claims and GET /api/v1/claims is
//      loaded with 100 clients through a gateway.
//
//   npm start                 # in another terminal: Kafka, PostgreSQL, identity (keys, demo login)
//   npm run bench:claims      # CLAIMS=60000 NAIVE_SECONDS=30 TOTAL_CLAIMS=1000000 DURATION=20
// Results are printed and written to .data/bench-claims.json.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { dropDatabase } from '../libs/db/src/engine.mjs';
import { loginDemo } from '../scripts/lib/demo-account.mjs';
import { provisionTopics, startServices, stopServices, waitReady } from '../scripts/lib/stack.mjs';
import { validateEvent } from '../dist/libs/contracts/src/index.js';
import { patchKafkajsIdleLoop } from '../dist/libs/messaging/src/index.js';
import { withNationalCodeCheckDigit } from '../dist/libs/persian/src/index.js';
import { PrismaClient } from '../dist/apps/claims/src/generated/prisma/client.js';
import { PrismaPg } from '@prisma/adapter-pg';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';
import { fillClaims, freshClaimsDatabase } from './lib/claims-data.mjs';

// --help: this file's header. The imports above have loaded by now, so a broken one fails the help too.
if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLAIMS = Number(process.env.CLAIMS ?? 60_000);
const NAIVE_SECONDS = Number(process.env.NAIVE_SECONDS ?? 30);
const TOTAL_CLAIMS = Number(process.env.TOTAL_CLAIMS ?? 1_000_000);
const DURATION = Number(process.env.DURATION ?? 20);
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const SERVER = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const API = process.env.API ?? 'http://127.0.0.1:3000/api/v1';
const dbUrl = (name) => Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
const TOPIC = 'insurer.claims.v1';
const log = (message) => console.log(`[bench:claims] ${message}`);

let state = 1404;
const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;

const freshDatabase = (name) => freshClaimsDatabase(dbUrl(name));

/** The workload: valid histories, duplicates, out-of-order claims and invalid messages, as Kafka messages. */
function workload() {
  const patients = Array.from({ length: 2_000 }, (_, i) => withNationalCodeCheckDigit(String(100_000_001 + i * 7919).padStart(9, '0')));
  const envelope = (eventType, claimId, sequence, data) => ({
    eventId: randomUUID(),
    eventType,
    eventVersion: 1,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + sequence * 3_600_000).toISOString(),
    source: 'asmari-core',
    subject: claimId,
    sequence,
    data: { claimId, ...data },
  });
  const rounds = [[], [], [], []];
  const early = [];
  const expected = { REGISTERED: 0, CALCULATED: 0, SENT_TO_BANK: 0, PAID: 0, REJECTED: 0 };
  let valid = 0;
  for (let i = 0; i < CLAIMS; i++) {
    const claimId = `B${i}`;
    const patient = patients[i % patients.length];
    const requested = 100_000 + Math.floor(random() * 50_000_000);
    const deductions = Math.floor(requested * random() * 0.3);
    const covered = requested - deductions;
    const franchise = Math.floor(covered * 0.1);
    const payable = covered - franchise;
    const history = [
      envelope('ClaimRegistered', claimId, 1, {
        contractNumber: 'BENCH-1',
        patientNationalCode: patient,
        mainMemberNationalCode: patient,
        kind: 'REIMBURSEMENT',
        reason: random() < 0.5 ? 'عینک' : 'آزمایش',
        admissionDate: '2026-01-10',
        registeredAt: '2026-01-12',
        requestedAmount: requested,
      }),
    ];
    const r = random();
    if (r < 0.05) {
      history.push(envelope('ClaimRejected', claimId, 2, { rejectedAt: '2026-01-15', reason: 'مدارک ناقص' }));
      expected.REJECTED++;
    } else if (r < 0.15) {
      expected.REGISTERED++;
    } else {
      history.push(
        envelope('ClaimCalculated', claimId, 2, {
          deductionsAmount: deductions,
          coveredAmount: covered,
          franchiseAmount: franchise,
          payableAmount: payable,
          issuedAt: '2026-01-15',
        }),
      );
      if (random() < 0.85) {
        history.push(envelope('ClaimSentToBank', claimId, 3, { sentAt: '2026-01-20T11:00:00+03:30', amount: payable }));
        if (random() < 0.9) {
          history.push(envelope('ClaimPaid', claimId, 4, { paidAt: '2026-01-21T09:00:00+03:30' }));
          expected.PAID++;
        } else expected.SENT_TO_BANK++;
      } else expected.CALCULATED++;
    }
    valid += history.length;
    // 5% of claims arrive out of order: their later events come before the registrations.
    if (history.length > 1 && random() < 0.05) {
      early.push(...history.slice(1).reverse());
      rounds[0].push(history[0]);
    } else history.forEach((e, step) => rounds[step].push(e));
  }
  const shuffle = (list) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };
  const stream = [...shuffle(early), ...rounds.flatMap(shuffle)].map((e) => ({ key: e.subject, value: JSON.stringify(e) }));
  const duplicates = stream.filter(() => random() < 0.01);
  const invalidCount = Math.round((stream.length + duplicates.length) * 0.005);
  const invalid = Array.from({ length: invalidCount }, (_, i) => {
    const claimId = `X${i}`;
    const kind = i % 3;
    if (kind === 0) return { key: claimId, value: '{"eventId": "broken' };
    const e = envelope('ClaimRegistered', claimId, 1, {
      contractNumber: 'BENCH-1',
      patientNationalCode: kind === 1 ? '0499370898' : patients[0],
      mainMemberNationalCode: patients[0],
      kind: 'DIRECT',
      reason: 'x',
      admissionDate: '2026-01-10',
      registeredAt: '2026-01-12',
    });
    return { key: claimId, value: JSON.stringify(e) }; // kind 1: bad national code; kind 2: requestedAmount missing
  });
  // Duplicates and invalid messages are spread through the second half of the stream.
  const all = [...stream];
  for (const extra of [...duplicates, ...invalid])
    all.splice(Math.floor(stream.length / 2 + random() * (all.length - stream.length / 2)), 0, extra);
  return { messages: all, valid, duplicates: duplicates.length, invalid: invalid.length, outOfOrder: early.length, expected };
}

async function publish(kafka, topic, messages) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const publishedAt = new Map();
  const started = Date.now();
  for (let i = 0; i < messages.length; i += 2_000) {
    const chunk = messages.slice(i, i + 2_000);
    await producer.send({ topic, acks: -1, messages: chunk });
    const now = Date.now();
    for (const m of chunk) publishedAt.set(m.key, now);
  }
  await producer.disconnect();
  return { started, seconds: (Date.now() - started) / 1000, publishedAt };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

mkdirSync(path.join(ROOT, '.data'), { recursive: true });
// The same kafkajs fix the services run with, so the naive consumer is not slowed by kafkajs' idle timer loop.
patchKafkajsIdleLoop();
const kafka = new kafkajs.Kafka({ clientId: 'bench-claims', brokers: BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING });
const results = { at: new Date().toISOString(), claims: CLAIMS };

// 1. End to end through the claims service.
const load = workload();
Object.assign(results, {
  messages: load.messages.length,
  validEvents: load.valid,
  duplicates: load.duplicates,
  invalid: load.invalid,
  outOfOrderEvents: load.outOfOrder,
});
log(`${load.messages.length} messages (${load.valid} valid events, ${load.duplicates} duplicates, ${load.invalid} invalid)`);
const prefix = `bench${Date.now()}.`;
provisionTopics(BROKERS, prefix);
const benchUrl = await freshDatabase('darman_bench_claims');
const ports = { gateway: 3100, identity: 3001, claims: 3102, referrals: 3003, providers: 3004 };
const serviceOptions = {
  ports,
  brokers: BROKERS,
  topicPrefix: prefix,
  databaseUrls: { claims: benchUrl },
  logDir: path.join(ROOT, '.data', 'bench-logs'),
};
const children = startServices({ ...serviceOptions, only: ['claims'], extraEnv: { LOG_LEVEL: 'warn' } });
await waitReady(ports, ['claims'], 60_000);
const db = new pg.Client({ connectionString: benchUrl });
await db.connect();
const published = await publish(kafka, `${prefix}${TOPIC}`, load.messages);
log(`published in ${published.seconds.toFixed(1)} s`);
for (;;) {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM inbox_events`);
  if (rows[0].n >= load.valid) break;
  await new Promise((r) => setTimeout(r, 200));
}
const completeSeconds = (Date.now() - published.started) / 1000;
const { rows: statusRows } = await db.query(`SELECT status, count(*)::int AS n FROM claims GROUP BY status`);
const statuses = Object.fromEntries(statusRows.map((r) => [r.status, r.n]));
const correct =
  JSON.stringify(
    Object.fromEntries(
      Object.entries(load.expected)
        .filter(([, n]) => n > 0)
        .sort(),
    ),
  ) === JSON.stringify(Object.fromEntries(Object.entries(statuses).sort()));
const { rows: updated } = await db.query(`SELECT claim_id, extract(epoch FROM updated_at) * 1000 AS at FROM claims`);
const lags = updated.map((r) => Number(r.at) - published.publishedAt.get(r.claim_id)).sort((a, b) => a - b);
results.endToEnd = {
  seconds: completeSeconds,
  eventsPerSecond: Math.round(load.messages.length / completeSeconds),
  lagP50Ms: Math.round(percentile(lags, 50)),
  lagP99Ms: Math.round(percentile(lags, 99)),
  statuses,
  matchesExpected: correct,
};
log(`end to end: ${JSON.stringify(results.endToEnd)}`);
if (!correct) throw new Error(`read model differs from the generated histories: expected ${JSON.stringify(load.expected)}`);
await stopServices(children);

// 2. Rebuild from the event store.
const rebuild = spawnSync(process.execPath, ['dist/apps/claims/src/rebuild.cli.js'], {
  cwd: ROOT,
  env: { ...process.env, DATABASE_URL: benchUrl },
  encoding: 'utf8',
});
if (rebuild.status !== 0) throw new Error(`rebuild failed: ${rebuild.stderr}`);
const rebuilt = /in ([\d.]+) s \((\d+) events\/s\)/.exec(rebuild.stdout);
results.rebuild = { seconds: Number(rebuilt[1]), eventsPerSecond: Number(rebuilt[2]) };
log(`rebuild: ${JSON.stringify(results.rebuild)}`);

// 3. The naive baseline: same messages, one handler call and one ORM upsert per event.
const naivePrefix = `naive${Date.now()}.`;
provisionTopics(BROKERS, naivePrefix);
const naiveUrl = await freshDatabase('darman_bench_claims_naive');
await publish(kafka, `${naivePrefix}${TOPIC}`, load.messages);
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: naiveUrl }) });
let handled = 0;
const naive = kafka.consumer({ groupId: `${naivePrefix}naive` });
await naive.connect();
await naive.subscribe({ topic: `${naivePrefix}${TOPIC}`, fromBeginning: true });
const naiveStarted = Date.now();
await naive.run({
  eachMessage: async ({ message }) => {
    const result = validateEvent(TOPIC, message.value, message.key?.toString());
    if (!result.ok) return;
    const { eventType, data } = result.event;
    if (eventType === 'ClaimRegistered') {
      const row = {
        contractNumber: data.contractNumber,
        patientNationalCode: data.patientNationalCode,
        mainMemberNationalCode: data.mainMemberNationalCode,
        kind: data.kind,
        reason: data.reason,
        admissionDate: new Date(data.admissionDate),
        registeredAt: new Date(data.registeredAt),
        requestedAmount: BigInt(data.requestedAmount),
        status: 'REGISTERED',
        timeline: [{ status: 'REGISTERED', at: data.registeredAt }],
        searchText: data.reason,
        updatedAt: new Date(),
      };
      await prisma.claim.upsert({ where: { claimId: data.claimId }, create: { claimId: data.claimId, ...row }, update: row });
    } else {
      const status = { ClaimCalculated: 'CALCULATED', ClaimSentToBank: 'SENT_TO_BANK', ClaimPaid: 'PAID', ClaimRejected: 'REJECTED' }[
        eventType
      ];
      await prisma.claim.updateMany({ where: { claimId: data.claimId }, data: { status, updatedAt: new Date() } });
    }
    handled++;
  },
});
await new Promise((r) => setTimeout(r, NAIVE_SECONDS * 1000));
const naiveSeconds = (Date.now() - naiveStarted) / 1000;
await naive.disconnect();
await prisma.$disconnect();
results.naive = { seconds: naiveSeconds, events: handled, eventsPerSecond: Math.round(handled / naiveSeconds) };
results.speedup = Number((results.endToEnd.eventsPerSecond / results.naive.eventsPerSecond).toFixed(1));
log(`naive: ${JSON.stringify(results.naive)}; speedup ${results.speedup}x`);
await dropDatabase(naiveUrl);

// 4. GET /claims against 1,000,000 claims, through a gateway.
if (process.env.SKIP_LIST) {
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}
// Generated claims up to TOTAL_CLAIMS, and the demo member with 25 claims among them (bench/lib/claims-data.mjs).
const claimsInDatabase = await fillClaims(db, { total: TOTAL_CLAIMS });
const stack = startServices({
  ...serviceOptions,
  only: ['claims', 'gateway'],
  extraEnv: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000' },
});
await waitReady(ports, ['claims', 'gateway'], 60_000);
const tokens = await loginDemo(API, process.env.CAPTCHA_TEST_ANSWER ?? 'darman');
if (!tokens) throw new Error('the demo member cannot log in: is `npm start` running?');
const times = [];
const answers = {};
const run = await new Promise((resolve, reject) => {
  const instance = autocannon(
    {
      url: `http://127.0.0.1:${ports.gateway}/api/v1/claims?page=1&pageSize=10`,
      connections: 100,
      duration: DURATION,
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    },
    (error, result) => (error ? reject(error) : resolve(result)),
  );
  instance.on('response', (_c, status, _b, ms) => {
    times.push(ms);
    answers[status] = (answers[status] ?? 0) + 1;
  });
});
times.sort((a, b) => a - b);
results.list = {
  claimsInDatabase,
  connections: 100,
  durationSeconds: DURATION,
  requests: times.length,
  throughputPerSecond: Math.round(times.length / run.duration),
  p50Ms: Math.round(percentile(times, 50)),
  p99Ms: Math.round(percentile(times, 99)),
  statuses: answers,
};
log(`GET /claims: ${JSON.stringify(results.list)}`);
await stopServices(stack);
await db.end();
await dropDatabase(benchUrl);
writeFileSync(path.join(ROOT, '.data', 'bench-claims.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
process.exit(0);
