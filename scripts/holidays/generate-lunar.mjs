#!/usr/bin/env node
// Writes config/holidays/<jalaliYear>.json: the fixed solar holidays of DOMAIN.md plus
// Iran's official lunar (Hijri) holidays, placed with the Umm al-Qura calendar of
// Node's ICU. Iran's calendar council sometimes sets a lunar holiday a day later
// than Umm al-Qura: operators confirm each file against the official calendar and
// correct or extend it by hand (the services read these files at start).
//   node scripts/holidays/generate-lunar.mjs 1406
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const year = Number(process.argv[2]);
if (!Number.isInteger(year) || year < 1300) {
  console.error('usage: node scripts/holidays/generate-lunar.mjs <jalali year>');
  process.exit(1);
}
const LUNAR = [
  [1, 9, 'تاسوعای حسینی'],
  [1, 10, 'عاشورای حسینی'],
  [2, 20, 'اربعین حسینی'],
  [2, 28, 'رحلت رسول اکرم و شهادت امام حسن مجتبی'],
  [2, 'last', 'شهادت امام رضا'],
  [3, 8, 'شهادت امام حسن عسکری'],
  [3, 17, 'میلاد رسول اکرم و امام جعفر صادق'],
  [6, 3, 'شهادت حضرت فاطمه زهرا'],
  [7, 13, 'ولادت امام علی'],
  [7, 27, 'مبعث رسول اکرم'],
  [8, 15, 'ولادت حضرت قائم'],
  [9, 21, 'شهادت امام علی'],
  [10, 1, 'عید سعید فطر'],
  [10, 2, 'تعطیل به مناسبت عید سعید فطر'],
  [10, 25, 'شهادت امام جعفر صادق'],
  [12, 10, 'عید سعید قربان'],
  [12, 18, 'عید سعید غدیر خم'],
];
const jalali = new Intl.DateTimeFormat('en-u-ca-persian', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
const hijri = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
const parts = (fmt, d) => Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));

const holidays = [];
// Walk the Gregorian days that fall in the Jalali year.
for (let t = Date.UTC(year + 620, 2, 1, 12); ; t += 86_400_000) {
  const d = new Date(t);
  const j = parts(jalali, d);
  const jy = Number(j.year.replace(/\D/g, ''));
  if (jy < year) continue;
  if (jy > year) break;
  const h = parts(hijri, d);
  const next = parts(hijri, new Date(t + 86_400_000));
  for (const [month, day, name] of LUNAR) {
    const hit = Number(h.month) === month && (day === 'last' ? Number(next.month) !== month : Number(h.day) === day);
    if (hit) holidays.push({ date: `${jy}/${j.month}/${j.day}`, name });
  }
}
const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../config/holidays', `${year}.json`);
const body = {
  year,
  note: 'Lunar holidays placed with the Umm al-Qura calendar; confirm each against the official Iranian calendar and correct by hand. Fixed solar holidays and Fridays are built in (libs/persian/src/calendar.ts).',
  holidays,
};
writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}: ${holidays.length} lunar holidays`);
