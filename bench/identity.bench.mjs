#!/usr/bin/env node
// Identity benchmarks against the running stack (issue 3), with autocannon:
//   1. POST /auth/login at 20 concurrent clients: throughput and latency;
//   2. GET /me/contracts/{n}/members at 100 concurrent clients: latency.
//
// Start the stack with the per-IP limits raised (all the load comes from
// one address), then run the benchmark:
//   RATE_LIMIT_PER_MINUTE=100000000 AUTH_RATE_LIMIT_PER_MINUTE=100000000 npm start
//   npm run bench:identity            # API=http://127.0.0.1:3000/api/v1, LOGINS=2000, DURATION=20 (members)
// Every request must succeed; the script fails otherwise. Results are printed
// and written to .data/bench-identity.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { DEMO_ACCOUNT, DEMO_CAPTCHA_ANSWER, ensureDemoAccount, loginDemo } from '../scripts/lib/demo-account.mjs';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';

// --help: this file's header. The imports above have loaded by now, so a broken one fails the help too.
if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const API = process.env.API ?? 'http://127.0.0.1:3000/api/v1';
const DURATION = Number(process.env.DURATION ?? 20);
const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const captchaAnswer = process.env.CAPTCHA_TEST_ANSWER ?? DEMO_CAPTCHA_ANSWER;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs autocannon, recording every response time so the p95 is exact (autocannon reports p90 and p97.5). */
function load(options) {
  return new Promise((resolve, reject) => {
    const times = [];
    const statuses = {};
    const instance = autocannon(options, (error, result) => {
      if (error) return reject(error);
      times.sort((a, b) => a - b);
      resolve({
        requests: times.length,
        throughputPerSecond: Number((times.length / result.duration).toFixed(1)),
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        p99Ms: percentile(times, 99),
        maxMs: times[times.length - 1],
        statuses,
        errors: result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      times.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}

async function captchaPool(size) {
  const pool = [];
  const worker = async () => {
    while (pool.length < size) {
      const response = await fetch(`${API}/auth/captcha`);
      if (response.status !== 200) throw new Error(`captcha answered ${response.status}`);
      pool.push((await response.json()).captchaId);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return pool;
}

function assertAllOk(name, result) {
  const bad = Object.entries(result.statuses).filter(([status]) => !status.startsWith('2'));
  if (bad.length > 0 || result.errors > 0)
    throw new Error(`${name}: non-2xx answers ${JSON.stringify(result.statuses)}, errors ${result.errors}`);
}

await ensureDemoAccount({ api: API, brokers: BROKERS, captchaAnswer });
const tokens = await loginDemo(API, captchaAnswer);
if (!tokens) throw new Error('the demo member cannot log in');

// Each login spends a captcha, fetched beforehand so that only the login is timed.
const LOGINS = Number(process.env.LOGINS ?? 2000);
const pool = await captchaPool(LOGINS);
const login = await load({
  url: `${API}/auth/login`,
  connections: 20,
  amount: LOGINS,
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          nationalCode: DEMO_ACCOUNT.nationalCode,
          membershipType: DEMO_ACCOUNT.membershipType,
          password: DEMO_ACCOUNT.password,
          captchaId: pool.pop(),
          captchaAnswer,
          rememberMe: false,
        }),
      }),
    },
  ],
});
assertAllOk('login', login);

const members = await load({
  url: `${API}/me/contracts/1722169/members?page=1&pageSize=10`,
  connections: 100,
  duration: DURATION,
  headers: { authorization: `Bearer ${tokens.accessToken}` },
});
assertAllOk('members', members);

const results = {
  at: new Date().toISOString(),
  login: { connections: 20, ...login },
  members: { connections: 100, durationSeconds: DURATION, ...members },
};
mkdirSync('.data', { recursive: true });
writeFileSync('.data/bench-identity.json', `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
