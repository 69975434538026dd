// The provider directory of the benchmarks (bench:providers, bench:read):
// generated deterministically, the 500-query mix members type, the CSV of the
// import command, and the import itself into a running stack.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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

const persianDigits = (text) => text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const arabicLetters = (text) => text.replace(/ی/g, 'ي').replace(/ک/g, 'ك');

/**
 * `count` providers (ids B100000…, 95% contracted) and the 500 queries in
 * rotation, from one small deterministic PRNG, so every run generates the
 * same directory and the same mix.
 */
export function providerDirectory(count) {
  let state = 20261125;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = (list) => list[Math.floor(random() * list.length)];

  const rows = [];
  for (let i = 0; i < count; i++) {
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

  // What members type: whole names (sometimes with Arabic letters), words in another order, partial words, phone digits, a word with a city.
  const queries = [];
  for (let i = 0; i < 500; i++) {
    const p = pick(rows);
    const words = p.name.split(' ');
    const r = random();
    if (r < 0.3) queries.push({ q: p.name });
    else if (r < 0.4) queries.push({ q: arabicLetters(p.name) });
    else if (r < 0.6) queries.push({ q: `${words.at(-1)} ${words.at(-2)} ${p.city}` });
    else if (r < 0.8) queries.push({ q: `${words[0]} ${words.at(-1).slice(0, 3)}` });
    else if (r < 0.9) queries.push({ q: persianDigits(p.phone.slice(-8, -2)) });
    else queries.push({ q: words.at(-1), city: p.city, onlineReferral: 'true' });
  }
  return { rows, queries, contracted: rows.filter((r) => r.contracted).length };
}

/** The rows as the CSV `npm run providers:import` reads. */
export function providersCsv(rows) {
  const header = 'providerId,name,type,province,city,address,phone,fax,website,issuesReferral,onlineReferral,contracted,lat,lng';
  const lines = rows.map((r) =>
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
  );
  return [header, ...lines].join('\n');
}

/** Contracted providers the stack lists (`GET /providers/facets`). */
export async function listedProviders(api) {
  const response = await fetch(`${api}/providers/facets`);
  return (await response.json()).total;
}

/**
 * Imports the directory into the running stack with the import command (as
 * ProviderUpserted events, `env` steering KAFKA_BROKERS / TOPIC_PREFIX) and
 * waits until the gateway lists every contracted one. Returns the seconds it took.
 */
export async function importProviders({ api, directory, file = path.join(ROOT, '.data', 'bench-providers.csv'), env = {} }) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, providersCsv(directory.rows));
  const started = Date.now();
  const imported = spawnSync(process.execPath, [path.join(ROOT, 'dist/apps/providers/src/import/import-providers.cli.js'), file], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (imported.status !== 0) throw new Error(`import exited ${imported.status}`);
  while ((await listedProviders(api)) < directory.contracted) await new Promise((r) => setTimeout(r, 500));
  return (Date.now() - started) / 1000;
}
