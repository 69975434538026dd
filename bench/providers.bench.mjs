#!/usr/bin/env node
// Provider search benchmark against the running stack (issue 5): 50,000
// generated providers are imported through the CSV import command (as
// ProviderUpserted events), then GET /api/v1/providers?q=… is loaded with 50
// concurrent clients over a mix of realistic queries, and the plan of a
// typical query is shown with EXPLAIN ANALYZE.
//
//   RATE_LIMIT_PER_MINUTE=100000000 npm start     # the load comes from one IP
//   npm run bench:providers                        # PROVIDERS=50000 DURATION=20 API=… SEARCH_URL=… DATABASE_URL=…
// Results are printed and written to .data/bench-providers.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildProviderSearch } from '../dist/apps/providers/src/directory/provider-search.sql.js';
import { pageSql } from '../dist/libs/platform/src/database.js';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';
import { importProviders, providerDirectory } from './lib/providers-data.mjs';

// --help: this file's header. The imports above have loaded by now, so a broken one fails the help too.
if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const API = process.env.API ?? 'http://127.0.0.1:3000/api/v1';
const COUNT = Number(process.env.PROVIDERS ?? 50_000);
const DURATION = Number(process.env.DURATION ?? 20);
// SEARCH_URL=http://127.0.0.1:3004/providers measures the providers service without the gateway hop.
const SEARCH_URL = process.env.SEARCH_URL ?? `${API}/providers`;
const SERVER = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const providersDb = Object.assign(new URL(SERVER), { pathname: '/darman_providers' }).toString();

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

mkdirSync('.data', { recursive: true });
// The same directory and query mix on every run (bench/lib/providers-data.mjs).
const directory = providerDirectory(COUNT);
const { rows, contracted } = directory;
const importSeconds = await importProviders({ api: API, directory });

/** 50 clients for DURATION seconds; every response time recorded so the p95 is exact. */
async function load(url, nextPath) {
  const times = [];
  const statuses = {};
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: 50, duration: DURATION, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }] },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', (_c, status, _b, ms) => {
      times.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  times.sort((a, b) => a - b);
  if (Object.keys(statuses).some((s) => !s.startsWith('2'))) throw new Error(`non-2xx answers from ${url}: ${JSON.stringify(statuses)}`);
  return {
    url,
    connections: 50,
    durationSeconds: DURATION,
    requests: times.length,
    throughputPerSecond: Number((times.length / result.duration).toFixed(1)),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
    statuses,
  };
}

const pool = directory.queries;
let next = 0;
const searchPath = new URL(SEARCH_URL).pathname;
const search = await load(SEARCH_URL, () => `${searchPath}?${new URLSearchParams(pool[next++ % pool.length])}`);
// The floor: the same load on a primary-key lookup through the same path (no search at all).
const floorUrl = SEARCH_URL.replace(/\/providers$/, '/providers/1001');
const floor = await load(floorUrl, () => new URL(floorUrl).pathname);

// The plan of the statement the service runs for a typical query.
const client = new pg.Client({ connectionString: providersDb });
await client.connect();
const sample = { q: `${rows[7].name.split(' ').at(-1)} ${rows[7].city}`, page: 1, pageSize: 10 };
const { matched, orderBy, params } = buildProviderSearch(sample);
const sql = pageSql(matched, orderBy, params.length);
const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [...params, sample.pageSize, 0])).rows.map((r) => r['QUERY PLAN']);
await client.end();

const report = {
  at: new Date().toISOString(),
  providers: COUNT,
  contracted,
  importSeconds,
  search,
  floor,
  explainQuery: sample.q,
  explain: plan,
};
writeFileSync('.data/bench-providers.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
