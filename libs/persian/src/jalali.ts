import { format, parse } from 'date-fns-jalali';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const JALALI_DATE = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/** Noon local time: a calendar date that no time zone offset can move to a neighbouring day. */
function localNoon(isoDate: string): Date {
  const m = ISO_DATE.exec(isoDate);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12);
}

function isoOf(date: Date): string {
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Gregorian calendar date (`2019-09-05`) → Jalali `YYYY/MM/DD` with ASCII digits (`1398/06/14`). */
export function toJalali(isoDate: string): string {
  return format(localNoon(isoDate), 'yyyy/MM/dd');
}

/** Jalali `YYYY/MM/DD` (Persian digits accepted) → Gregorian `YYYY-MM-DD`; throws on an impossible date. */
export function fromJalali(jalaliDate: string): string {
  const ascii = jalaliDate.replace(/[\u06f0-\u06f9]/g, (c) => String(c.charCodeAt(0) - 0x06f0));
  const m = JALALI_DATE.exec(ascii);
  if (!m) throw new RangeError(`not a YYYY/MM/DD Jalali date: ${jalaliDate}`);
  const parsed = parse(`${m[1]}/${m[2]}/${m[3]}`, 'yyyy/MM/dd', new Date(2000, 0, 1, 12));
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`not a Jalali date: ${jalaliDate}`);
  return isoOf(parsed);
}

export const TEHRAN_TIME_ZONE = 'Asia/Tehran';

const tehranDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TEHRAN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (`YYYY-MM-DD`) an instant falls on in Tehran. */
export function tehranDate(instant: Date = new Date()): string {
  return tehranDateFormat.format(instant);
}

/** The Jalali date an instant falls on in Tehran. */
export function toJalaliInstant(instant: Date): string {
  return toJalali(tehranDate(instant));
}
