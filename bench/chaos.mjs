#!/usr/bin/env node
// Chaos under load (issue 14): a steady, seeded stream of member, claim,
// provider and referral events plus portal traffic, while the run
//   - SIGKILLs a random consumer service (identity, claims, referrals,
//     providers) CHAOS_KILLS times (default 24), half of them provably
//     mid-batch: a lock on the service's read-model tables holds the next
//     batch inside its open write transaction (pg_stat_activity,
//     application_name = darman-consumer), the process is killed then, and
//     pg_xact_status shows that transaction aborted;
//   - restarts the broker twice (infra/kafka/kafka.sh stop/start, same data dir);
//   - cuts PostgreSQL for CHAOS_DB_OUTAGE_SECONDS (30) through TCP relays in
//     front of it (every service process has its own, so a transaction is
//     attributed to the replica that holds it);
//   - runs a second replica of claims and referrals in the same consumer
//     groups for part of the time and SIGKILLs one of the replicas mid-batch.
// Recovery time per fault = fault end (restart, broker up, database back) to
// the service ready and its group caught up with everything published until
// then. Afterwards every group must reach committed offset = end offset on
// every partition, and every read model must equal the fold of what was
// published (kept in this script's memory): claims (status, amounts,
// timeline), the member registry of identity, claims and referrals,
// providers (both copies), referral statuses. "Applied twice" is checked by
// what a second application would change: a referral decision adds a
// timeline entry and an SMS to the outbox each time it is applied; and the
// last instance of every service must have applied exactly the events the
// inbox gained since it started (its darman_consumer_messages_total{applied}).
// Exit 1 on anything lost, doubled or stuck.
//
// Everything is its own: a broker on CHAOS_KAFKA_PORT (47092, data in
// .data/chaos/kafka), databases chaos_<svc> on DATABASE_URL's server (dropped
// and migrated at start, kept afterwards for inspection), topics under a fresh
// prefix, HTTP ports 4700-4706 (gateway, identity, claims, referrals,
// providers, claims replica, referrals replica). Ctrl-C or a failure stops
// everything it started.
//
//   npm run chaos                       # CHAOS_SEED=1404 CHAOS_MINUTES=6 CHAOS_KILLS=24
// Results: printed, .data/chaos.json and .data/chaos.md; logs in .data/chaos/logs.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { applyMigrations, dropDatabase, ensureDatabase } from '../libs/db/src/engine.mjs';
import { ensureAccount, login } from '../scripts/lib/demo-account.mjs';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';
import { provisionTopics, startServices, stopServices } from '../scripts/lib/stack.mjs';
import { validateEvent } from '../dist/libs/contracts/src/index.js';
import { patchKafkajsIdleLoop } from '../dist/libs/messaging/src/index.js';
import { withNationalCodeCheckDigit } from '../dist/libs/persian/src/index.js';
import { pdf, plainPng } from '../dist/apps/referrals/src/attachments/attachment-fixtures.js';
import { DbProxy } from './lib/db-proxy.mjs';

// --help: this file's header. The imports above have loaded by now, so a broken one fails the help too.
if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = Number(process.env.CHAOS_SEED ?? 1404);
const MINUTES = Number(process.env.CHAOS_MINUTES ?? 6);
const KILLS = Number(process.env.CHAOS_KILLS ?? 24);
const DB_OUTAGE_MS = Number(process.env.CHAOS_DB_OUTAGE_SECONDS ?? 30) * 1000;
const KAFKA_PORT = Number(process.env.CHAOS_KAFKA_PORT ?? 47092);
const BROKERS = `127.0.0.1:${KAFKA_PORT}`;
const SERVER = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const DATA = path.join(ROOT, '.data');
const WORK = path.join(DATA, 'chaos');
const KAFKA_DIR = path.join(WORK, 'kafka');
const LOGS = path.join(WORK, 'logs');
const PORTS = { gateway: 4700, identity: 4701, claims: 4702, referrals: 4703, providers: 4704 };
const REPLICA_PORTS = { claims: 4705, referrals: 4706 };
const API = `http://127.0.0.1:${PORTS.gateway}/api/v1`;
const CAPTCHA = 'chaos';
const CONSUMERS = ['identity', 'claims', 'referrals', 'providers'];
const T = {
  members: 'insurer.members.v1',
  claims: 'insurer.claims.v1',
  providers: 'insurer.providers.v1',
  referrals: 'insurer.referrals.v1',
};
/** The topics each group consumes (grep -rn @EventPattern apps). */
const GROUP_TOPICS = {
  identity: [T.members],
  claims: [T.members, T.claims],
  referrals: [T.members, T.providers, T.referrals],
  providers: [T.providers],
};
/** Tables a batch of each service writes after its inbox rows: locked to hold a batch inside its transaction. */
const LOCK_TABLES = {
  identity: ['registry_contracts', 'registry_enrollments'],
  claims: ['claims', 'registry_contracts', 'registry_enrollments'],
  referrals: ['referrals', 'referral_providers', 'registry_contracts', 'registry_enrollments'],
  providers: ['providers'],
};
const PREFIX = `chaos${SEED}x${Date.now().toString(36)}.`;
const physical = (topic) => `${PREFIX}${topic}`;
const groupOf = (svc) => `${PREFIX}darman-${svc}`;
const dbName = (svc) => `chaos_${svc}`;
const directUrl = (svc) => Object.assign(new URL(SERVER), { pathname: `/${dbName(svc)}` }).toString();

const started = Date.now();
const log = (message) => console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- seeded randomness -------------------------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Separate streams, so the event stream does not depend on how often the portal or the chaos schedule drew. */
const rand = { events: mulberry32(SEED), chaos: mulberry32(SEED * 31 + 7), portal: mulberry32(SEED * 17 + 3) };
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const pick = (r, list) => list[Math.floor(r() * list.length)];
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${pick(r, ['8', '9', 'a', 'b'])}${hex(r, 3)}-${hex(r, 12)}`;
const nationalCode = (i) => withNationalCodeCheckDigit(String(100_000_001 + ((i * 7_919) % 899_999_999)).padStart(9, '0'));
const mobile = (r) => `091${String(int(r, 0, 99_999_999)).padStart(8, '0')}`;
const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

// --- what was published, and the fold of it ---------------------------------
const published = new Map(Object.values(T).map((t) => [t, new Set()])); // topic -> eventIds acknowledged
const publishedMessages = new Map(Object.values(T).map((t) => [t, 0])); // including re-sent duplicates
const history = []; // every envelope once, for duplicates
let clock = Date.UTC(2026, 0, 1);
const seqOf = new Map();
function envelope(eventType, subject, data) {
  const sequence = (seqOf.get(`${eventType.startsWith('Contract') ? 'c' : ''}${subject}`) ?? 0) + 1;
  seqOf.set(`${eventType.startsWith('Contract') ? 'c' : ''}${subject}`, sequence);
  clock += 1000;
  return {
    eventId: uuid(rand.events),
    eventType,
    eventVersion: 1,
    occurredAt: new Date(clock).toISOString(),
    source: 'asmari-core',
    subject,
    sequence,
    data,
  };
}

const expected = {
  contracts: new Map(), // contractNumber -> { status, endDate }
  enrollments: new Map(), // nationalCode -> { contractNumber, firstName, lastName, mobile, coverageEnd, leftOn }
  claims: new Map(), // claimId -> { status, requested, payable, sent, events }
  providers: new Map(), // providerId -> { name, city, contracted, issuesReferral, removed }
  referrals: new Map(), // trackingCode -> { status, timeline, notifications, plan }
};

/** The generator's world: churn contracts and members, claims in flight, providers. */
const world = { contracts: [], members: [], openClaims: [], claimCount: 0, memberCount: 0, households: [] };
const PROVIDER_POOL = 120;
const REFERRAL_PROVIDERS = ['RP1', 'RP2', 'RP3'];

function contractEvent(contractNumber, status, endDate) {
  const data = {
    contractNumber,
    title: 'درمان تکمیلی کارکنان',
    policyholderName: 'شرکت آزمون آشوب',
    insurerCode: 'ASMARI',
    insurerName: 'بیمه آسماری',
    startDate: '2024-03-20',
    endDate,
    status,
  };
  expected.contracts.set(contractNumber, { status, endDate });
  return envelope('ContractUpserted', contractNumber, data);
}

function enrolEvent(person) {
  const data = {
    nationalCode: person.nationalCode,
    firstName: person.firstName,
    lastName: 'آزمون',
    birthDate: '1985-05-01',
    mobile: person.mobile,
    contractNumber: person.contractNumber,
    membershipType: 'GROUP',
    relation: person.relation,
    mainMemberNationalCode: person.main,
    coverageStart: '2024-03-20',
    coverageEnd: '2030-03-20',
  };
  expected.enrollments.set(person.nationalCode, {
    contractNumber: person.contractNumber,
    firstName: person.firstName,
    lastName: 'آزمون',
    mobile: person.mobile,
    coverageEnd: '2030-03-20',
    leftOn: null,
  });
  return envelope('MemberEnrolled', person.nationalCode, data);
}

const NAMES = ['علی', 'مریم', 'رضا', 'زهرا', 'حسین', 'فاطمه', 'سارا', 'محمد'];
const CITIES = ['شیراز', 'تهران', 'اصفهان', 'تبریز', 'مشهد', 'جهرم'];

function newMember() {
  const contractNumber = pick(rand.events, world.contracts);
  const nc = nationalCode(world.memberCount++);
  const person = {
    nationalCode: nc,
    contractNumber,
    main: nc,
    relation: 'MAIN',
    firstName: pick(rand.events, NAMES),
    mobile: mobile(rand.events),
  };
  world.members.push(person);
  return enrolEvent(person);
}

function memberChange() {
  const active = world.members.filter((m) => !m.left);
  if (active.length === 0) return newMember();
  const person = pick(rand.events, active);
  const state = expected.enrollments.get(person.nationalCode);
  if (rand.events() < 0.15) {
    person.left = true;
    const leftOn = isoDay(int(rand.events, -30, 30));
    state.leftOn = leftOn;
    return envelope('MemberLeft', person.nationalCode, {
      nationalCode: person.nationalCode,
      contractNumber: person.contractNumber,
      leftOn,
    });
  }
  const data = { nationalCode: person.nationalCode, contractNumber: person.contractNumber };
  const what = int(rand.events, 0, 2);
  if (what === 0) data.firstName = state.firstName = pick(rand.events, NAMES);
  if (what === 1) data.mobile = state.mobile = mobile(rand.events);
  if (what === 2) data.coverageEnd = state.coverageEnd = `20${int(rand.events, 27, 31)}-03-20`;
  return envelope('MemberUpdated', person.nationalCode, data);
}

const CLAIM_PLANS = [
  ['ClaimRegistered', 'ClaimCalculated', 'ClaimSentToBank', 'ClaimPaid'],
  ['ClaimRegistered', 'ClaimCalculated', 'ClaimSentToBank', 'ClaimPaid'],
  ['ClaimRegistered', 'ClaimCalculated', 'ClaimSentToBank'],
  ['ClaimRegistered', 'ClaimCalculated'],
  ['ClaimRegistered'],
  ['ClaimRegistered', 'ClaimRejected'],
  ['ClaimRegistered', 'ClaimCalculated', 'ClaimRejected'],
];
const CLAIM_STATUS = {
  ClaimRegistered: 'REGISTERED',
  ClaimCalculated: 'CALCULATED',
  ClaimSentToBank: 'SENT_TO_BANK',
  ClaimPaid: 'PAID',
  ClaimRejected: 'REJECTED',
};

function newClaim() {
  const patients = [...world.members.filter((m) => !m.left), ...world.households.flatMap((h) => h.people)];
  const patient = pick(rand.events, patients);
  const claimId = `X${SEED}-${world.claimCount++}`;
  const requested = int(rand.events, 10, 5_000) * 10_000;
  const deductions = Math.floor(requested * rand.events() * 0.3);
  const covered = requested - deductions;
  const franchise = Math.floor(covered * 0.1);
  const claim = {
    claimId,
    plan: pick(rand.events, CLAIM_PLANS),
    next: 0,
    requested,
    deductions,
    covered,
    franchise,
    payable: covered - franchise,
    patient,
  };
  expected.claims.set(claimId, { status: null, requested, payable: null, sent: null, events: 0 });
  world.openClaims.push(claim);
  return nextClaimEvent(claim);
}

function nextClaimEvent(claim) {
  const type = claim.plan[claim.next++];
  if (claim.next >= claim.plan.length) world.openClaims.splice(world.openClaims.indexOf(claim), 1);
  const { claimId } = claim;
  const state = expected.claims.get(claimId);
  state.status = CLAIM_STATUS[type];
  state.events += 1;
  const day = new Date(clock).toISOString().slice(0, 10);
  switch (type) {
    case 'ClaimRegistered':
      return envelope(type, claimId, {
        claimId,
        contractNumber: claim.patient.contractNumber,
        patientNationalCode: claim.patient.nationalCode,
        mainMemberNationalCode: claim.patient.main,
        kind: 'REIMBURSEMENT',
        reason: pick(rand.events, ['ویزیت', 'آزمایش', 'عینک', 'دندانپزشکی']),
        admissionDate: day,
        registeredAt: day,
        requestedAmount: claim.requested,
      });
    case 'ClaimCalculated':
      state.payable = claim.payable;
      return envelope(type, claimId, {
        claimId,
        deductionsAmount: claim.deductions,
        coveredAmount: claim.covered,
        franchiseAmount: claim.franchise,
        payableAmount: claim.payable,
        issuedAt: day,
      });
    case 'ClaimSentToBank':
      state.sent = claim.payable;
      return envelope(type, claimId, { claimId, sentAt: new Date(clock).toISOString(), amount: claim.payable });
    case 'ClaimPaid':
      return envelope(type, claimId, { claimId, paidAt: new Date(clock).toISOString(), traceNumber: `TR${claim.next}` });
    case 'ClaimRejected':
      return envelope(type, claimId, { claimId, rejectedAt: day, reason: 'خارج از تعهد' });
  }
}

function providerEvent(providerId, fields) {
  const data = {
    providerId,
    name: fields.name,
    type: 'PRIVATE_HOSPITAL',
    province: 'فارس',
    city: fields.city,
    address: `خیابان ${int(rand.events, 1, 99)}`,
    issuesReferral: fields.issuesReferral,
    onlineReferral: false,
    contracted: fields.contracted,
  };
  expected.providers.set(providerId, { ...fields, removed: false });
  return envelope('ProviderUpserted', providerId, data);
}

function providerChange() {
  const providerId = `P${int(rand.events, 1, PROVIDER_POOL)}`;
  const current = expected.providers.get(providerId);
  if (current && !current.removed && rand.events() < 0.25) {
    current.removed = true;
    return envelope('ProviderRemoved', providerId, { providerId });
  }
  return providerEvent(providerId, {
    name: `مرکز ${pick(rand.events, NAMES)} ${providerId}`,
    city: pick(rand.events, CITIES),
    contracted: rand.events() < 0.8,
    issuesReferral: rand.events() < 0.5,
  });
}

// --- Kafka -------------------------------------------------------------------
patchKafkajsIdleLoop?.();
const kafka = new kafkajs.Kafka({
  clientId: 'darman-chaos',
  brokers: [BROKERS],
  logLevel: kafkajs.logLevel.NOTHING,
  retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
});
let producer;
let admin;
let stopping = false;

async function freshAdmin() {
  await admin?.disconnect().catch(() => undefined);
  admin = kafka.admin();
  await admin.connect();
  return admin;
}

/** Runs an admin request, with a fresh client on failure (the broker restarts under it). */
async function withAdmin(fn, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (!admin) await freshAdmin();
      return await fn(admin);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${error.message}`);
      admin = undefined;
      await sleep(500);
    }
  }
}

const validationFailures = [];
/** Sends envelopes to a topic, retrying until the broker acknowledges them (the same eventIds: consumers drop repeats). */
async function publish(topic, envelopes, { duplicate = false } = {}) {
  if (envelopes.length === 0) return;
  for (const e of envelopes) {
    const check = validateEvent(topic, JSON.stringify(e), e.subject);
    if (!check.ok) validationFailures.push(`${e.eventType} ${e.subject}: ${check.code} ${check.message}`);
  }
  const messages = envelopes.map((e) => ({ key: e.subject, value: JSON.stringify(e) }));
  for (let attempt = 0; ; attempt++) {
    try {
      if (!producer) {
        producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 200 } });
        await producer.connect();
      }
      await producer.send({ topic: physical(topic), acks: -1, timeout: 10_000, messages });
      break;
    } catch (error) {
      if (attempt % 20 === 0) log(`publish to ${topic} failed (${error.message}); retrying`);
      await producer?.disconnect().catch(() => undefined);
      producer = undefined;
      await sleep(500);
    }
  }
  for (const e of envelopes) published.get(topic).add(e.eventId);
  publishedMessages.set(topic, publishedMessages.get(topic) + envelopes.length);
  if (!duplicate) history.push(...envelopes.map((e) => ({ topic, e })));
}

async function endOffsets(topics) {
  return withAdmin(async (a) => {
    const out = {};
    for (const topic of topics) {
      for (const p of await a.fetchTopicOffsets(physical(topic))) out[`${topic}[${p.partition}]`] = Number(p.high);
    }
    return out;
  }, 'end offsets');
}

/** Partitions where the group's committed offset is behind `target` (all partitions of its topics). */
async function behind(svc, target) {
  return withAdmin(async (a) => {
    const committed = {};
    for (const t of await a.fetchOffsets({ groupId: groupOf(svc), topics: GROUP_TOPICS[svc].map(physical) })) {
      const topic = t.topic.slice(PREFIX.length);
      for (const p of t.partitions) committed[`${topic}[${p.partition}]`] = Math.max(0, Number(p.offset));
    }
    return Object.entries(target)
      .filter(([key, high]) => (committed[key] ?? 0) < high)
      .map(([key, high]) => ({ partition: key, committed: committed[key] ?? 0, end: high }));
  }, `offsets of ${svc}`);
}

async function caughtUp(svc, target, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lagging = await behind(svc, target);
    if (lagging.length === 0) return [];
    if (Date.now() > deadline) return lagging;
    await sleep(250);
  }
}

function kafkaSh(command) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['infra/kafka/kafka.sh', command], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_PORT: String(KAFKA_PORT), KAFKA_DATA_DIR: KAFKA_DIR },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} exited ${code}: ${err.slice(-2000)}`))));
  });
}

// --- databases, relays, processes -------------------------------------------
const direct = {}; // svc -> pg.Pool on the real server
const instances = {}; // name -> { name, svc, port, proxy, child, spawnedAt, storedAtSpawn }
let kafkaStarted = false;

async function sql(svc, text, params = []) {
  return (await direct[svc].query(text, params)).rows;
}

async function inboxCount(svc) {
  return Number((await sql(svc, 'SELECT count(*)::int AS n FROM inbox_events'))[0].n);
}

const serviceEnv = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  CAPTCHA_TEST_ANSWER: CAPTCHA,
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  EXPIRY_INTERVAL_MS: '600000',
};

async function spawnInstance(name) {
  const inst = instances[name];
  if (inst.svc !== 'gateway') inst.storedAtSpawn = await inboxCount(inst.svc).catch(() => undefined);
  const ports = { ...PORTS, [inst.svc]: inst.port };
  const children = startServices({
    ports,
    brokers: BROKERS,
    topicPrefix: PREFIX,
    databaseUrls: { [inst.svc]: inst.proxy ? `postgresql://postgres@127.0.0.1:${inst.proxy.port}/${dbName(inst.svc)}` : '' },
    logDir: name.endsWith('#2') ? path.join(LOGS, 'replica') : LOGS,
    extraEnv: serviceEnv,
    only: [inst.svc],
  });
  inst.child = children[inst.svc];
  inst.spawnedAt = Date.now();
  inst.generation = (inst.generation ?? 0) + 1;
  return inst;
}

const alive = (inst) => inst.child && inst.child.exitCode === null && inst.child.signalCode === null;

async function waitReadyPort(port, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`port ${port} not ready after ${timeoutMs / 1000}s`);
    await sleep(200);
  }
}

async function sigkill(inst) {
  if (!alive(inst)) return;
  const exited = new Promise((resolve) => inst.child.once('exit', resolve));
  inst.child.kill('SIGKILL');
  await exited;
}

// --- faults ------------------------------------------------------------------
const faults = []; // { kind, target, midBatch, downMs, recoveryMs, at }
const activeFaults = new Set();
let infraBusy = false;
let infraPending = false;
/** The load goes on for CHAOS_MINUTES, and longer while the schedule's faults have not all recovered. */
let chaosDone = false;
let loadUntil = Infinity;
const loadGoesOn = () => !stopping && (Date.now() < loadUntil || !chaosDone);
let killBusy = 0;

/** A consumer transaction of `inst` holding an xid and waiting on a lock: the batch is inside its transaction. */
async function openBatchOf(inst) {
  const rows = await sql(
    inst.svc,
    `SELECT backend_xid::text AS xid, client_port AS port FROM pg_stat_activity
      WHERE application_name = 'darman-consumer' AND datname = current_database()
        AND backend_xid IS NOT NULL AND wait_event_type = 'Lock'`,
  );
  const mine = inst.proxy.upstreamPorts();
  return rows.find((r) => mine.has(Number(r.port)));
}

async function xactStatus(svc, xid) {
  const rows = await sql(svc, `SELECT pg_xact_status((((txid_current() >> 32) << 32) + $1::bigint)::text::xid8) AS status`, [xid]);
  return rows[0]?.status;
}

/**
 * SIGKILLs one of `candidates` (instances of one service). midBatch: holds the service's read-model tables
 * under an EXCLUSIVE lock (reads pass) until a batch of one of them has written its inbox rows and waits on
 * the lock, kills that instance then, releases the lock, and checks that the batch's transaction aborted.
 * Returns the instance killed and whether the kill provably landed mid-batch.
 */
async function kill(candidates, midBatch) {
  if (!midBatch) {
    await sigkill(candidates[0]);
    return { victim: candidates[0], provable: false };
  }
  const svc = candidates[0].svc;
  const locker = new pg.Client({ connectionString: directUrl(svc), application_name: 'darman-chaos-lock' });
  await locker.connect();
  let open;
  let victim = candidates[0];
  try {
    await locker.query('BEGIN');
    await locker.query(`SET LOCAL lock_timeout = '10s'`);
    await locker.query(`LOCK TABLE ${LOCK_TABLES[svc].join(', ')} IN EXCLUSIVE MODE`);
    const deadline = Date.now() + 30_000;
    while (!open && Date.now() < deadline) {
      for (const inst of candidates.filter(alive)) {
        open = await openBatchOf(inst);
        if (open) {
          victim = inst;
          break;
        }
      }
      if (!open) await sleep(50);
    }
    await sigkill(victim);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end().catch(() => undefined);
  }
  if (!open) return { victim, provable: false };
  for (let i = 0; i < 100; i++) {
    const status = await xactStatus(svc, open.xid);
    if (status === 'aborted') return { victim, provable: true };
    if (status === 'committed') break;
    await sleep(100);
  }
  return { victim, provable: false };
}

/**
 * Kill one of `names`, wait, restart it, and measure the recovery: ready and caught up with what was
 * published until the restart.
 */
async function killAndRestart(names, midBatch, delayMs, kind = 'kill') {
  const labels = names.map((n) => `${kind}:${n}`);
  for (const l of labels) activeFaults.add(l);
  killBusy++;
  const at = Date.now();
  let victim;
  let provable;
  try {
    ({ victim, provable } = await kill(
      names.map((n) => instances[n]),
      midBatch,
    ));
  } finally {
    killBusy--;
  }
  const name = victim.name;
  for (const l of labels) if (l !== `${kind}:${name}`) activeFaults.delete(l);
  const label = `${kind}:${name}`;
  log(
    `SIGKILL ${name}${midBatch ? (provable ? ' (mid-batch, its transaction aborted)' : ' (mid-batch attempt: no open batch seen)') : ''}; restart in ${(delayMs / 1000).toFixed(1)} s`,
  );
  await sleep(delayMs);
  const restartAt = Date.now();
  await spawnInstance(name);
  const target = await endOffsets(GROUP_TOPICS[victim.svc]);
  await waitReadyPort(victim.port);
  const readyMs = Date.now() - restartAt;
  const lagging = await caughtUp(victim.svc, target);
  const recoveryMs = Date.now() - restartAt;
  activeFaults.delete(label);
  const fault = {
    kind,
    target: name,
    midBatch: provable,
    attemptedMidBatch: midBatch,
    at: at - started,
    downMs: restartAt - at,
    readyMs,
    recoveryMs,
    stuck: lagging,
  };
  faults.push(fault);
  log(
    `${name} back: ready after ${readyMs} ms, caught up after ${recoveryMs} ms${lagging.length ? ` — STUCK ${JSON.stringify(lagging)}` : ''}`,
  );
  return fault;
}

async function recoverAll(label, since) {
  const targets = Object.fromEntries(await Promise.all(CONSUMERS.map(async (svc) => [svc, await endOffsets(GROUP_TOPICS[svc])])));
  const per = {};
  await Promise.all(
    Object.values(instances)
      .filter((i) => i.svc !== 'gateway' && alive(i))
      .map((i) => waitReadyPort(i.port)),
  );
  await Promise.all(
    CONSUMERS.map(async (svc) => {
      const lagging = await caughtUp(svc, targets[svc]);
      per[svc] = { recoveryMs: Date.now() - since, stuck: lagging };
    }),
  );
  return per;
}

async function brokerRestart(n) {
  infraBusy = true;
  while (killBusy > 0) await sleep(100);
  activeFaults.add('broker');
  const at = Date.now();
  log(`broker restart ${n}: stopping`);
  await kafkaSh('stop');
  await sleep(int(rand.chaos, 3_000, 8_000));
  await kafkaSh('start');
  const upAt = Date.now();
  log(`broker restart ${n}: up again after ${upAt - at} ms`);
  infraBusy = false;
  const per = await recoverAll('broker', upAt);
  activeFaults.delete('broker');
  const recoveryMs = Math.max(...Object.values(per).map((p) => p.recoveryMs));
  faults.push({
    kind: 'broker-restart',
    target: 'kafka',
    at: at - started,
    downMs: upAt - at,
    recoveryMs,
    perService: per,
    stuck: Object.values(per).flatMap((p) => p.stuck),
  });
  log(`broker restart ${n}: every group caught up ${recoveryMs} ms after the broker was back`);
}

async function databaseOutage() {
  infraBusy = true;
  while (killBusy > 0) await sleep(100);
  activeFaults.add('database');
  const proxies = Object.values(instances).filter((i) => i.proxy);
  const at = Date.now();
  log(`database outage: cutting ${proxies.length} relays for ${DB_OUTAGE_MS / 1000} s`);
  await Promise.all(proxies.map((i) => i.proxy.cut()));
  await sleep(DB_OUTAGE_MS);
  await Promise.all(proxies.map((i) => i.proxy.restore()));
  const backAt = Date.now();
  infraBusy = false;
  const per = await recoverAll('database', backAt);
  activeFaults.delete('database');
  const recoveryMs = Math.max(...Object.values(per).map((p) => p.recoveryMs));
  faults.push({
    kind: 'database-outage',
    target: 'postgresql',
    at: at - started,
    downMs: backAt - at,
    recoveryMs,
    perService: per,
    stuck: Object.values(per).flatMap((p) => p.stuck),
  });
  log(`database outage over: every group caught up ${recoveryMs} ms after the database was back`);
}

const replicaWindow = {};
async function startReplicas() {
  log('starting second replicas of claims and referrals (same groups)');
  const at = Date.now();
  activeFaults.add('replicas-join');
  await Promise.all(['claims#2', 'referrals#2'].map((n) => spawnInstance(n)));
  await Promise.all(['claims#2', 'referrals#2'].map((n) => waitReadyPort(instances[n].port)));
  const per = await recoverAll('replicas', Date.now());
  activeFaults.delete('replicas-join');
  replicaWindow.start = Date.now() - started;
  log(
    `replicas joined in ${Date.now() - at} ms (groups caught up: ${JSON.stringify(Object.fromEntries(Object.entries(per).map(([k, v]) => [k, v.recoveryMs])))})`,
  );
}

async function stopReplicas() {
  log('stopping the second replicas (SIGTERM)');
  activeFaults.add('replicas-leave');
  const children = Object.fromEntries(['claims#2', 'referrals#2'].filter((n) => alive(instances[n])).map((n) => [n, instances[n].child]));
  const codes = await stopServices(children);
  await recoverAll('replicas-leave', Date.now());
  activeFaults.delete('replicas-leave');
  replicaWindow.end = Date.now() - started;
  replicaWindow.exitCodes = codes;
}

// --- load: events, referrals, portal ------------------------------------------
const stats = { referralPosts: {}, portal: {}, portal5xxOutsideFaults: [] };
const decisionQueue = []; // { due, trackingCode, type, data }
const DECISION_PLANS = [
  ['ReferralApproved'],
  ['ReferralExamRequired', 'ReferralApproved'],
  ['ReferralRejected'],
  ['ReferralDocumentsRequested'],
  [],
];
const DECISION_STATUS = {
  ReferralApproved: 'APPROVED',
  ReferralExamRequired: 'EXAM_REQUIRED',
  ReferralRejected: 'REJECTED',
  ReferralDocumentsRequested: 'DOCUMENTS_REQUESTED',
};

function decisionData(type, trackingCode) {
  switch (type) {
    case 'ReferralApproved':
      return { trackingCode, letterNumber: `MN-${int(rand.events, 1000, 9999)}`, validUntil: isoDay(60) };
    case 'ReferralExamRequired':
      return { trackingCode, examAt: `${isoDay(3)}T09:30:00+03:30`, examPlace: 'شعبه مرکزی' };
    case 'ReferralRejected':
      return { trackingCode, reason: 'خارج از تعهد' };
    case 'ReferralDocumentsRequested':
      return { trackingCode, documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک' }], dueBy: isoDay(10) };
  }
}

async function generatorLoop() {
  let tick = 0;
  while (loadGoesOn()) {
    const t0 = Date.now();
    const batches = { [T.members]: [], [T.claims]: [], [T.providers]: [], [T.referrals]: [] };
    for (let i = 0; i < 4; i++) {
      if (world.openClaims.length > 0 && rand.events() < 0.6) batches[T.claims].push(nextClaimEvent(pick(rand.events, world.openClaims)));
      else batches[T.claims].push(newClaim());
    }
    if (rand.events() < 0.7) batches[T.members].push(rand.events() < 0.5 ? newMember() : memberChange());
    if (tick % 40 === 39) {
      const c = pick(rand.events, world.contracts);
      batches[T.members].push(
        contractEvent(c, pick(rand.events, ['ACTIVE', 'ACTIVE', 'SUSPENDED']), `20${int(rand.events, 27, 31)}-03-20`),
      );
    }
    if (rand.events() < 0.5) batches[T.providers].push(providerChange());
    const now = Date.now();
    while (decisionQueue.length && decisionQueue[0].due <= now) {
      const d = decisionQueue.shift();
      batches[T.referrals].push({
        ...envelope(d.type, d.trackingCode, d.data),
        source: 'asmari-referrals',
        occurredAt: new Date().toISOString(),
      });
    }
    for (const [topic, list] of Object.entries(batches)) await publish(topic, list);
    // About 1% of messages are sent again as they were (a producer retry at the source).
    if (rand.events() < 0.2 && history.length > 0) {
      const again = pick(rand.events, history);
      await publish(again.topic, [again.e], { duplicate: true });
    }
    tick++;
    await sleep(Math.max(0, 250 - (Date.now() - t0)));
  }
}

const PDF = pdf('BT /F1 12 Tf 72 712 Td (nuskhe) Tj ET');
const PNG = plainPng(40, 25);

async function postReferral(household, patient) {
  const form = new FormData();
  const fields = {
    patientNationalCode: patient.nationalCode,
    contractNumber: household.contractNumber,
    providerId: pick(rand.portal, REFERRAL_PROVIDERS),
    admissionDate: isoDay(12),
    doctorName: 'دکتر رضایی',
    reason: 'جراحی آپاندیس',
    serviceCategory: 'SURGERY',
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('prescription', new Blob([PDF], { type: 'application/pdf' }), 'nuskhe.pdf');
  form.append('nationalCard', new Blob([PNG], { type: 'image/png' }), 'card.png');
  const response = await fetch(`${API}/referrals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${household.token}` },
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

function count(bucket, status) {
  const inFault = activeFaults.size > 0 ? 'duringFault' : 'outsideFaults';
  bucket[status] ??= { duringFault: 0, outsideFaults: 0 };
  bucket[status][inFault]++;
  return inFault;
}

async function referralLoop() {
  while (loadGoesOn()) {
    const household = pick(rand.portal, world.households);
    const patient = pick(rand.portal, household.people);
    let status;
    try {
      const answer = await postReferral(household, patient);
      status = answer.status;
      if (status === 201) {
        const code = answer.body.trackingCode;
        const plan = pick(rand.events, DECISION_PLANS);
        const expectedStatus = plan.length ? DECISION_STATUS[plan[plan.length - 1]] : answer.body.status;
        expected.referrals.set(code, { status: expectedStatus, timeline: 1 + plan.length, notifications: plan.length, plan });
        let due = Date.now();
        for (const type of plan) {
          due += int(rand.portal, 1_000, 8_000);
          decisionQueue.push({ due, trackingCode: code, type, data: decisionData(type, code) });
        }
        decisionQueue.sort((a, b) => a.due - b.due);
      }
    } catch (error) {
      status = error.name === 'TimeoutError' ? 'timeout' : 'network-error';
    }
    const where = count(stats.referralPosts, String(status));
    if (where === 'outsideFaults' && (typeof status !== 'number' || status >= 500))
      stats.portal5xxOutsideFaults.push({ route: 'POST /referrals', status, at: Date.now() - started });
    await sleep(int(rand.portal, 1_500, 3_500));
  }
}

const PORTAL_ROUTES = [
  () => '/claims',
  () => '/home',
  () => '/referrals',
  () => '/me',
  () => `/providers?q=${encodeURIComponent('مرکز')}`,
  () => `/providers/P${int(rand.portal, 1, PROVIDER_POOL)}`,
  () => `/claims/X${SEED}-${int(rand.portal, 0, Math.max(0, world.claimCount - 1))}`,
];

async function portalLoop() {
  while (loadGoesOn()) {
    const household = pick(rand.portal, world.households);
    const route = pick(rand.portal, PORTAL_ROUTES)();
    let status;
    try {
      const response = await fetch(`${API}${route}`, {
        headers: { authorization: `Bearer ${household.token}` },
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      status = error.name === 'TimeoutError' ? 'timeout' : 'network-error';
    }
    const where = count(stats.portal, String(status));
    if (where === 'outsideFaults' && (typeof status !== 'number' || status >= 500))
      stats.portal5xxOutsideFaults.push({ route, status, at: Date.now() - started });
    await sleep(int(rand.portal, 100, 300));
  }
}

// --- the schedule -------------------------------------------------------------
function plan(loadMs) {
  const services = [];
  while (services.length < KILLS) services.push(...[...CONSUMERS].sort(() => rand.chaos() - 0.5));
  const kills = services.slice(0, KILLS).map((svc, i) => ({
    at: Math.round(loadMs * (0.03 + (0.87 * (i + rand.chaos() * 0.8)) / KILLS)),
    svc,
    midBatch: i % 2 === 0,
    delayMs: int(rand.chaos, 1_000, 6_000),
  }));
  const replicaService = pick(rand.chaos, ['claims', 'referrals']);
  const replicaVictim = rand.chaos() < 0.5 ? [replicaService, `${replicaService}#2`] : [`${replicaService}#2`, replicaService];
  const infra = [
    { at: Math.round(loadMs * 0.08), run: startReplicas },
    { at: Math.round(loadMs * 0.18), run: () => killAndRestart(replicaVictim, true, int(rand.chaos, 1_000, 4_000), 'replica-kill') },
    { at: Math.round(loadMs * 0.3), run: () => brokerRestart(1) },
    { at: Math.round(loadMs * 0.45), run: databaseOutage },
    { at: Math.round(loadMs * 0.6), run: stopReplicas },
    { at: Math.round(loadMs * 0.7), run: () => brokerRestart(2) },
  ];
  return { kills, infra, replicaVictim };
}

async function killLane(kills, loadStart) {
  const tasks = [];
  for (const k of kills) {
    await sleep(Math.max(0, loadStart + k.at - Date.now()));
    while (infraBusy || infraPending) await sleep(200);
    if (stopping) break;
    // An instance still down from an earlier kill is not killed again before it is back.
    while ([...activeFaults].some((f) => f.endsWith(`:${k.svc}`))) await sleep(200);
    tasks.push(killAndRestart([k.svc], k.midBatch, k.delayMs));
  }
  await Promise.all(tasks);
}

async function infraLane(infra, loadStart) {
  for (const step of infra) {
    await sleep(Math.max(0, loadStart + step.at - Date.now()));
    if (stopping) break;
    // No new kill starts meanwhile, and the kills under way finish first: one infrastructure fault at a time.
    infraPending = true;
    while (killBusy > 0 || [...activeFaults].some((f) => f.startsWith('kill:'))) await sleep(100);
    try {
      await step.run();
    } finally {
      infraPending = false;
    }
  }
}

// --- verification ---------------------------------------------------------------
const iso = (d) => (d == null ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

async function verify() {
  const problems = { lost: [], doubled: [], different: [] };
  const note = (kind, what) => {
    if (problems[kind].length < 50) problems[kind].push(what);
    problems[`${kind}Count`] = (problems[`${kind}Count`] ?? 0) + 1;
  };
  const inbox = {};
  for (const svc of CONSUMERS) {
    const rows = await sql(svc, 'SELECT topic, count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM inbox_events GROUP BY topic');
    inbox[svc] = {};
    for (const topic of GROUP_TOPICS[svc]) {
      const row = rows.find((r) => r.topic === physical(topic) || r.topic === topic) ?? { n: 0, d: 0 };
      const want = published.get(topic).size;
      inbox[svc][topic] = { stored: row.n, distinct: row.d, published: want };
      if (row.d < want) note('lost', `${svc} inbox ${topic}: ${row.d} of ${want} events`);
      if (row.n > row.d || row.d > want) note('doubled', `${svc} inbox ${topic}: ${row.n} rows, ${row.d} distinct, ${want} published`);
    }
  }

  // Member registry, in every service that keeps one.
  for (const svc of ['identity', 'claims', 'referrals']) {
    const rows = await sql(
      svc,
      `SELECT national_code, contract_number, first_name, last_name, mobile, coverage_end::text, left_on::text FROM registry_enrollments`,
    );
    const byCode = new Map(rows.map((r) => [r.national_code, r]));
    for (const [nc, want] of expected.enrollments) {
      const row = byCode.get(nc);
      if (!row) {
        note('lost', `${svc} registry: ${nc} missing`);
        continue;
      }
      const got = {
        contractNumber: row.contract_number,
        firstName: row.first_name,
        lastName: row.last_name,
        mobile: row.mobile,
        coverageEnd: iso(row.coverage_end),
        leftOn: iso(row.left_on),
      };
      if (JSON.stringify(got) !== JSON.stringify(want))
        note('different', `${svc} registry ${nc}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    }
    if (rows.length !== expected.enrollments.size)
      note('different', `${svc} registry: ${rows.length} rows, ${expected.enrollments.size} expected`);
    const contracts = await sql(svc, 'SELECT contract_number, status, end_date::text FROM registry_contracts');
    for (const [number, want] of expected.contracts) {
      const row = contracts.find((c) => c.contract_number === number);
      if (!row) note('lost', `${svc} contract ${number} missing`);
      else if (row.status !== want.status || iso(row.end_date) !== want.endDate)
        note('different', `${svc} contract ${number}: ${row.status} ${iso(row.end_date)} != ${want.status} ${want.endDate}`);
    }
  }

  // Claims.
  const claimRows = await sql(
    'claims',
    `SELECT claim_id, status, requested_amount, payable_amount, sent_amount, jsonb_array_length(timeline)::int AS steps FROM claims`,
  );
  const claimsById = new Map(claimRows.map((r) => [r.claim_id, r]));
  const claimStatuses = {};
  for (const [id, want] of expected.claims) {
    claimStatuses[want.status] = (claimStatuses[want.status] ?? 0) + 1;
    const row = claimsById.get(id);
    if (!row) {
      note('lost', `claim ${id} missing`);
      continue;
    }
    const got = {
      status: row.status,
      requested: Number(row.requested_amount),
      payable: row.payable_amount == null ? null : Number(row.payable_amount),
      sent: row.sent_amount == null ? null : Number(row.sent_amount),
      events: row.steps,
    };
    if (JSON.stringify(got) !== JSON.stringify(want))
      note(got.events > want.events ? 'doubled' : 'different', `claim ${id}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  }
  if (claimRows.length !== expected.claims.size) note('different', `claims: ${claimRows.length} rows, ${expected.claims.size} expected`);

  // Providers: the directory and the referrals service's copy.
  const providerRows = await sql('providers', 'SELECT provider_id, name, city, contracted, issues_referral FROM providers');
  const present = [...expected.providers].filter(([, p]) => !p.removed);
  for (const [id, want] of present) {
    const row = providerRows.find((r) => r.provider_id === id);
    if (!row) note('lost', `provider ${id} missing`);
    else if (
      row.name !== want.name ||
      row.city !== want.city ||
      row.contracted !== want.contracted ||
      row.issues_referral !== want.issuesReferral
    )
      note('different', `provider ${id}: ${JSON.stringify(row)} != ${JSON.stringify(want)}`);
  }
  if (providerRows.length !== present.length) note('different', `providers: ${providerRows.length} rows, ${present.length} expected`);
  const copyRows = await sql('referrals', 'SELECT provider_id, name, contracted, issues_referral, removed FROM referral_providers');
  for (const [id, want] of expected.providers) {
    const row = copyRows.find((r) => r.provider_id === id);
    if (!row) note('lost', `referrals' provider ${id} missing`);
    else if (row.removed !== want.removed || (!want.removed && (row.name !== want.name || row.contracted !== want.contracted)))
      note('different', `referrals' provider ${id}: ${JSON.stringify(row)} != ${JSON.stringify(want)}`);
  }

  // Referrals: status, one timeline entry and one SMS per applied decision.
  const referralRows = await sql(
    'referrals',
    `SELECT r.tracking_code, r.status, jsonb_array_length(r.timeline)::int AS steps,
            (SELECT count(*)::int FROM outbox_messages o
              WHERE o.payload->>'eventType' = 'NotificationRequested'
                AND o.payload->'data'->'params'->>'trackingCode' = r.tracking_code) AS sms
       FROM referrals r`,
  );
  const referralStatuses = {};
  for (const [code, want] of expected.referrals) {
    referralStatuses[want.status] = (referralStatuses[want.status] ?? 0) + 1;
    const row = referralRows.find((r) => r.tracking_code === code);
    if (!row) {
      note('lost', `referral ${code} missing`);
      continue;
    }
    if (row.steps > want.timeline || row.sms > want.notifications)
      note('doubled', `referral ${code}: ${row.steps} steps, ${row.sms} SMS; want ${want.timeline}, ${want.notifications}`);
    else if (row.status !== want.status || row.steps !== want.timeline || row.sms !== want.notifications)
      note(
        'lost',
        `referral ${code}: ${row.status}/${row.steps} steps/${row.sms} SMS; want ${want.status}/${want.timeline}/${want.notifications}`,
      );
  }
  const unacknowledged = referralRows
    .filter((r) => !expected.referrals.has(r.tracking_code))
    .map((r) => ({ code: r.tracking_code, status: r.status, steps: r.steps }));
  for (const r of unacknowledged)
    if (r.status !== 'SUBMITTED' || r.steps !== 1) note('different', `referral ${r.code} (no 201 seen): ${r.status}`);

  // The last instance of each service applied exactly what its inbox gained since it started.
  const lastInstance = {};
  for (const svc of CONSUMERS) {
    const inst = instances[svc];
    const text = await (await fetch(`http://127.0.0.1:${inst.port}/metrics`)).text();
    const applied = text
      .split('\n')
      .filter((l) => l.startsWith('darman_consumer_messages_total{') && l.includes('result="applied"'))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const gained = (await inboxCount(svc)) - inst.storedAtSpawn;
    const replicaOverlap = svc in REPLICA_PORTS && replicaWindow.end !== undefined && inst.spawnedAt - started < replicaWindow.end;
    lastInstance[svc] = { applied, inboxGained: gained, storedAtSpawn: inst.storedAtSpawn, sharedWithReplica: replicaOverlap };
    if (!replicaOverlap && applied > gained)
      note('doubled', `${svc}: its last instance applied ${applied} events, the inbox gained ${gained}`);
    if (!replicaOverlap && applied < gained)
      note('different', `${svc}: its last instance applied ${applied} events, the inbox gained ${gained}`);
  }

  // Nothing was refused: every published event was valid.
  const dlq = {};
  await withAdmin(async (a) => {
    for (const topic of Object.values(T)) {
      const offsets = await a.fetchTopicOffsets(physical(`${topic}.dlq`));
      dlq[topic] = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
    }
  }, 'dlq offsets');
  for (const [topic, n] of Object.entries(dlq)) if (n > 0) note('lost', `${n} messages of ${topic} in its DLQ`);

  return { problems, inbox, lastInstance, dlq, claimStatuses, referralStatuses, unacknowledgedReferrals: unacknowledged.length };
}

// --- cleanup ----------------------------------------------------------------------
let cleaned;
function cleanup() {
  cleaned ??= (async () => {
    stopping = true;
    const children = Object.fromEntries(
      Object.values(instances)
        .filter(alive)
        .map((i) => [i.name, i.child]),
    );
    await stopServices(children, 10_000).catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    for (const i of Object.values(instances)) await i.proxy?.stop().catch(() => undefined);
    if (kafkaStarted) await kafkaSh('stop').catch((e) => log(e.message));
    for (const pool of Object.values(direct)) await pool.end().catch(() => undefined);
  })();
  return cleaned;
}
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    log(`failed (${event}): ${error?.stack ?? error}`);
    void cleanup().finally(() => process.exit(1));
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping everything`);
    void cleanup().finally(() => process.exit(130));
  });
}

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

// --- main -----------------------------------------------------------------------------
async function main() {
  mkdirSync(WORK, { recursive: true });
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  log(`seed ${SEED}, ${MINUTES} min of load, ${KILLS} kills, prefix ${PREFIX}`);

  await kafkaSh('reset').catch(() => undefined);
  await kafkaSh('start');
  kafkaStarted = true;
  log(`broker up on ${BROKERS}`);

  for (const svc of CONSUMERS) {
    const url = directUrl(svc);
    await dropDatabase(url);
    await ensureDatabase(url);
    await applyMigrations({ databaseUrl: url, migrationsDir: path.join(ROOT, 'apps', svc, 'prisma', 'migrations') });
    direct[svc] = new pg.Pool({ connectionString: url, max: 4, application_name: 'darman-chaos' });
  }
  log('databases chaos_<svc> migrated');
  provisionTopics(BROKERS, PREFIX);

  const pgPort = Number(SERVER.port || 5432);
  for (const svc of CONSUMERS) instances[svc] = { name: svc, svc, port: PORTS[svc], proxy: new DbProxy(SERVER.hostname, pgPort) };
  for (const svc of Object.keys(REPLICA_PORTS))
    instances[`${svc}#2`] = { name: `${svc}#2`, svc, port: REPLICA_PORTS[svc], proxy: new DbProxy(SERVER.hostname, pgPort) };
  instances.gateway = { name: 'gateway', svc: 'gateway', port: PORTS.gateway };
  for (const i of Object.values(instances)) await i.proxy?.start();
  for (const name of ['identity', 'claims', 'referrals', 'providers', 'gateway']) await spawnInstance(name);
  await Promise.all(Object.values(PORTS).map((port) => waitReadyPort(port)));
  log('gateway and the four services ready');

  // The world before the load: churn contracts, referral households with portal accounts, referral centres.
  const before = { [T.members]: [], [T.providers]: [] };
  for (let i = 0; i < 12; i++) {
    const c = `CH${SEED}-${i}`;
    world.contracts.push(c);
    before[T.members].push(contractEvent(c, 'ACTIVE', '2030-03-20'));
  }
  for (let h = 0; h < 4; h++) {
    const contractNumber = `CHR${SEED}-${h}`;
    before[T.members].push(contractEvent(contractNumber, 'ACTIVE', '2030-03-20'));
    const main = nationalCode(900_000 + h * 2);
    const child = nationalCode(900_001 + h * 2);
    const mob = mobile(rand.events);
    const people = [
      { nationalCode: main, contractNumber, main, relation: 'MAIN', firstName: 'سرپرست', mobile: mob },
      { nationalCode: child, contractNumber, main, relation: 'CHILD', firstName: 'فرزند', mobile: mob },
    ];
    for (const p of people) before[T.members].push(enrolEvent(p));
    world.households.push({
      contractNumber,
      people,
      account: { nationalCode: main, membershipType: 'GROUP', mobile: mob, password: `chaos-pass-${h}-1404` },
    });
  }
  for (const id of REFERRAL_PROVIDERS)
    before[T.providers].push(providerEvent(id, { name: `بیمارستان ارجاع ${id}`, city: 'شیراز', contracted: true, issuesReferral: true }));
  for (let i = 0; i < 20; i++) before[T.members].push(newMember());
  await publish(T.members, before[T.members]);
  await publish(T.providers, before[T.providers]);
  for (const household of world.households) {
    await ensureAccount({
      api: API,
      brokers: BROKERS,
      topicPrefix: PREFIX,
      captchaAnswer: CAPTCHA,
      account: household.account,
      timeoutMs: 60_000,
    });
    household.token = (await login(API, household.account, CAPTCHA)).accessToken;
  }
  // The referrals service's copies must hold the centres and the households before members ask.
  for (const svc of CONSUMERS) {
    const lagging = await caughtUp(svc, await endOffsets(GROUP_TOPICS[svc]), 120_000);
    if (lagging.length) throw new Error(`${svc} did not consume the setup events: ${JSON.stringify(lagging)}`);
  }
  log(`setup done: ${world.households.length} households with portal accounts, ${world.contracts.length} contracts`);

  const loadMs = MINUTES * 60_000;
  const loadStart = Date.now();
  loadUntil = loadStart + loadMs;
  const schedule = plan(loadMs);
  log(`load for ${MINUTES} min (longer while faults recover); replica kill mid-batch: one of ${schedule.replicaVictim.join(', ')}`);
  const load = Promise.all([generatorLoop(), referralLoop(), portalLoop(), portalLoop()]);
  await Promise.all([killLane(schedule.kills, loadStart), infraLane(schedule.infra, loadStart)]);
  chaosDone = true;
  log('every scheduled fault has recovered');
  await load;
  const loadSeconds = Math.round((Date.now() - loadStart) / 1000);
  log(`load over after ${loadSeconds} s`);
  // The last decisions still queued (their requests were made near the end).
  while (decisionQueue.length) {
    const d = decisionQueue.shift();
    await sleep(Math.max(0, d.due - Date.now()));
    await publish(T.referrals, [
      { ...envelope(d.type, d.trackingCode, d.data), source: 'asmari-referrals', occurredAt: new Date().toISOString() },
    ]);
  }
  if (validationFailures.length) throw new Error(`the generator produced invalid events: ${validationFailures.slice(0, 5).join('; ')}`);

  log('waiting for every group to commit every partition to its end');
  const drainStart = Date.now();
  const stuck = {};
  for (const svc of CONSUMERS) {
    const lagging = await caughtUp(svc, await endOffsets(GROUP_TOPICS[svc]), 300_000);
    if (lagging.length) stuck[svc] = lagging;
  }
  // The referrals outbox relays decisions' SMS after their commit: give it its second.
  await sleep(2_000);
  const drainMs = Date.now() - drainStart;
  log(`drained in ${drainMs} ms; comparing the read models with the fold of what was published`);
  const result = await verify();

  const kills = faults.filter((f) => f.kind === 'kill' || f.kind === 'replica-kill');
  const recoveries = faults.map((f) => f.recoveryMs);
  const stuckPartitions = Object.values(stuck).flat().length;
  const summary = {
    command: 'npm run chaos',
    seed: SEED,
    minutes: MINUTES,
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}`,
    events: Object.fromEntries(Object.values(T).map((t) => [t, { distinct: published.get(t).size, messages: publishedMessages.get(t) }])),
    kills: {
      total: kills.length,
      provablyMidBatch: kills.filter((k) => k.midBatch).length,
      perService: Object.fromEntries(CONSUMERS.map((s) => [s, kills.filter((k) => k.target.split('#')[0] === s).length])),
    },
    replicaKill: faults.find((f) => f.kind === 'replica-kill') ?? null,
    replicaWindow,
    brokerRestarts: faults.filter((f) => f.kind === 'broker-restart').map((f) => ({ downMs: f.downMs, recoveryMs: f.recoveryMs })),
    databaseOutage: faults.filter((f) => f.kind === 'database-outage').map((f) => ({ downMs: f.downMs, recoveryMs: f.recoveryMs })),
    recoveryMs: {
      p50: percentile(recoveries, 50),
      p99: percentile(recoveries, 99),
      max: Math.max(...recoveries),
      faults: recoveries.length,
    },
    killRecoveryMs: {
      p50: percentile(
        kills.map((k) => k.recoveryMs),
        50,
      ),
      p99: percentile(
        kills.map((k) => k.recoveryMs),
        99,
      ),
    },
    lost: result.problems.lostCount ?? 0,
    doubled: result.problems.doubledCount ?? 0,
    different: result.problems.differentCount ?? 0,
    stuckPartitions,
    stuck,
    drainMs,
    readModels: {
      claims: expected.claims.size,
      claimStatuses: result.claimStatuses,
      enrollments: expected.enrollments.size,
      contracts: expected.contracts.size,
      providers: expected.providers.size,
      referrals: expected.referrals.size,
      referralStatuses: result.referralStatuses,
      unacknowledgedReferrals: result.unacknowledgedReferrals,
    },
    inbox: result.inbox,
    lastInstance: result.lastInstance,
    dlq: result.dlq,
    referralPosts: stats.referralPosts,
    portal: stats.portal,
    portal5xxOutsideFaults: stats.portal5xxOutsideFaults,
    problems: result.problems,
    faults,
    loadSeconds,
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync(DATA, { recursive: true });
  writeFileSync(path.join(DATA, 'chaos.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(DATA, 'chaos.md'), markdown(summary));
  process.stdout.write(`\n${markdown(summary)}\n`);
  const ok =
    summary.lost === 0 &&
    summary.doubled === 0 &&
    summary.different === 0 &&
    stuckPartitions === 0 &&
    faults.every((f) => f.stuck.length === 0);
  log(
    ok
      ? 'PASS: 0 lost, 0 doubled, 0 stuck'
      : `FAIL: ${summary.lost} lost, ${summary.doubled} doubled, ${summary.different} different, ${stuckPartitions} stuck partitions`,
  );
  return ok;
}

function markdown(s) {
  const statusLine = (bucket) =>
    Object.entries(bucket)
      .sort()
      .map(([status, n]) => `${status}: ${n.duringFault + n.outsideFaults} (${n.duringFault} during a fault)`)
      .join(', ');
  const ms = (v) => (v == null ? '–' : `${(v / 1000).toFixed(1)} s`);
  return [
    `- Command: \`CHAOS_SEED=${s.seed} CHAOS_MINUTES=${s.minutes} ${s.command}\`, ${s.date}, ${s.totalSeconds} s in all (${s.loadSeconds} s of load and faults)`,
    `- Machine: ${s.machine}`,
    `- Events published (distinct / messages incl. re-sent duplicates): ${Object.entries(s.events)
      .map(([t, e]) => `${t} ${e.distinct} / ${e.messages}`)
      .join(', ')}`,
    `- SIGKILLs: ${s.kills.total} (${s.kills.provablyMidBatch} provably mid-batch: the batch's transaction was open and aborted), per service ${JSON.stringify(s.kills.perService)}`,
    `- Replicas: claims and referrals ran two instances from ${ms(s.replicaWindow.start)} to ${ms(s.replicaWindow.end)}; ${s.replicaKill ? `${s.replicaKill.target} SIGKILLed ${s.replicaKill.midBatch ? 'mid-batch (transaction aborted)' : '(no open batch seen)'}, recovered in ${ms(s.replicaKill.recoveryMs)}` : 'no replica kill'}`,
    `- Broker restarts: ${s.brokerRestarts.length} (down ${s.brokerRestarts.map((b) => ms(b.downMs)).join(', ')}; groups caught up ${s.brokerRestarts.map((b) => ms(b.recoveryMs)).join(', ')} after)`,
    `- Database outage: ${s.databaseOutage.map((d) => `${ms(d.downMs)}, groups caught up ${ms(d.recoveryMs)} after`).join('; ')}`,
    `- Recovery (fault end → ready and caught up with what was published until then), ${s.recoveryMs.faults} faults: p50 ${ms(s.recoveryMs.p50)}, p99 ${ms(s.recoveryMs.p99)}, max ${ms(s.recoveryMs.max)}; kills alone p50 ${ms(s.killRecoveryMs.p50)}, p99 ${ms(s.killRecoveryMs.p99)}`,
    `- Lost: ${s.lost}; doubled: ${s.doubled}; different: ${s.different}; stuck partitions: ${s.stuckPartitions} (drained ${ms(s.drainMs)} after the load)`,
    `- Read models compared: ${s.readModels.claims} claims ${JSON.stringify(s.readModels.claimStatuses)}, ${s.readModels.enrollments} enrolments × 3 registries, ${s.readModels.contracts} contracts, ${s.readModels.providers} providers × 2 copies, ${s.readModels.referrals} referrals ${JSON.stringify(s.readModels.referralStatuses)}`,
    `- Last instance of each service: ${Object.entries(s.lastInstance)
      .map(
        ([svc, l]) => `${svc} applied ${l.applied} = inbox gained ${l.inboxGained}${l.sharedWithReplica ? ' (shared with a replica)' : ''}`,
      )
      .join('; ')}`,
    `- Portal reads: ${statusLine(s.portal)}; POST /referrals: ${statusLine(s.referralPosts)}; 5xx or no answer outside faults: ${s.portal5xxOutsideFaults.length}`,
    '',
  ].join('\n');
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
