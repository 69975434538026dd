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
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildProviderSearch } from '../dist/apps/providers/src/directory/provider-search.sql.js';
import { pageSql } from '../dist/libs/platform/src/database.js';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';

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

// A small deterministic PRNG so every run generates the same directory.
let state = 20261125;
const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(random() * list.length)];

const KINDS = [
  ['PRIVATE_HOSPITAL', 'بیمارستان'],
  ['PUBLIC_HOSPITAL', 'بیمارستان'],
  ['CHARITY_HOSPITAL', 'بیمارستان خیریه'],
  ['CLINIC', 'کلینیک'],
  ['CLINIC', 'درمانگاه'],
  ['LAB', 'آزمایشگاه'],
  ['IMAGING', 'مرکز تصویربرداری'],
  ['PHARMACY', 'داروخانه'],
  ['OPTICS', 'عینک‌سازی'],
  ['DENTAL', 'دندانپزشکی'],
  ['PHYSICIAN', 'مطب دکتر'],
];
const WORDS = (
  'شفا امید مهر نور پارس البرز سینا رازی فارابی کوثر آتیه آرمان بهار سپید مهرگان نیکان پاستور دی آریا ایرانیان ' +
  'میلاد رسالت بهمن تابان سلامت نگین دانش آفتاب مادر کودک ولیعصر امام رضا فاطمیه قائم حکیم جم گلستان پیامبران ' +
  'اطمینان آسمان ستاره ماهان صدف یاس لاله نرگس مریم کیمیا آوا سروش شایان پویا رویان'
).split(' ');
const CITIES = [
  ['تهران', 'تهران', '021'],
  ['شیراز', 'فارس', '071'],
  ['جهرم', 'فارس', '071'],
  ['مرودشت', 'فارس', '071'],
  ['اصفهان', 'اصفهان', '031'],
  ['کاشان', 'اصفهان', '031'],
  ['مشهد', 'خراسان رضوی', '051'],
  ['نیشابور', 'خراسان رضوی', '051'],
  ['تبریز', 'آذربایجان شرقی', '041'],
  ['مراغه', 'آذربایجان شرقی', '041'],
  ['کرج', 'البرز', '026'],
  ['اهواز', 'خوزستان', '061'],
  ['دزفول', 'خوزستان', '061'],
  ['رشت', 'گیلان', '013'],
  ['ساری', 'مازندران', '011'],
  ['بابل', 'مازندران', '011'],
  ['قم', 'قم', '025'],
  ['کرمان', 'کرمان', '034'],
  ['یزد', 'یزد', '035'],
  ['همدان', 'همدان', '081'],
];

function generate() {
  const rows = [];
  for (let i = 0; i < COUNT; i++) {
    const [type, prefix] = pick(KINDS);
    const [city, province, area] = pick(CITIES);
    const name = `${prefix} ${pick(WORDS)} ${pick(WORDS)}`;
    const phone = `${area}-${String(30000000 + Math.floor(random() * 69999999))}`;
    const online = random() < 0.3;
    rows.push({
      providerId: `B${100000 + i}`,
      name,
      type,
      province,
      city,
      address: `خیابان ${pick(WORDS)}، کوچه ${1 + Math.floor(random() * 40)}، پلاک ${1 + Math.floor(random() * 200)}`,
      phone,
      issuesReferral: online || random() < 0.6,
      onlineReferral: online,
      contracted: random() < 0.95,
    });
  }
  return rows;
}

const persianDigits = (text) => text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const arabicLetters = (text) => text.replace(/ی/g, 'ي').replace(/ک/g, 'ك');

/** What members type: whole names (sometimes with Arabic letters), words in another order, partial words, phone digits, a word with a city. */
function queries(rows) {
  const list = [];
  for (let i = 0; i < 500; i++) {
    const p = pick(rows);
    const words = p.name.split(' ');
    const r = random();
    if (r < 0.3) list.push({ q: p.name });
    else if (r < 0.4) list.push({ q: arabicLetters(p.name) });
    else if (r < 0.6) list.push({ q: `${words.at(-1)} ${words.at(-2)} ${p.city}` });
    else if (r < 0.8) list.push({ q: `${words[0]} ${words.at(-1).slice(0, 3)}` });
    else if (r < 0.9) list.push({ q: persianDigits(p.phone.slice(-8, -2)) });
    else list.push({ q: words.at(-1), city: p.city, onlineReferral: 'true' });
  }
  return list;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function totalProviders() {
  const response = await fetch(`${API}/providers/facets`);
  return (await response.json()).total;
}

mkdirSync('.data', { recursive: true });
const rows = generate();
const header = 'providerId,name,type,province,city,address,phone,fax,website,issuesReferral,onlineReferral,contracted,lat,lng';
const csv = [
  header,
  ...rows.map((r) =>
    [
      r.providerId,
      r.name,
      r.type,
      r.province,
      r.city,
      `"${r.address}"`,
      r.phone,
      '',
      '',
      r.issuesReferral,
      r.onlineReferral,
      r.contracted,
      '',
      '',
    ].join(','),
  ),
].join('\n');
writeFileSync('.data/bench-providers.csv', csv);
const contracted = rows.filter((r) => r.contracted).length;

const importStarted = Date.now();
const imported = spawnSync(process.execPath, ['dist/apps/providers/src/import/import-providers.cli.js', '.data/bench-providers.csv'], {
  stdio: 'inherit',
});
if (imported.status !== 0) throw new Error(`import exited ${imported.status}`);
for (;;) {
  const total = await totalProviders();
  if (total >= contracted) break;
  await new Promise((r) => setTimeout(r, 500));
}
const importSeconds = (Date.now() - importStarted) / 1000;

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

const pool = queries(rows);
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
