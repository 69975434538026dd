import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromJalali, TEHRAN_TIME_ZONE, tehranDate, toJalali } from './jalali.js';

/** DOMAIN.md: 1–4, 12 and 13 Farvardin; 14–15 Khordad; 22 Bahman; 29 Esfand. */
export const FIXED_SOLAR_HOLIDAYS = ['01/01', '01/02', '01/03', '01/04', '01/12', '01/13', '03/14', '03/15', '11/22', '12/29'];

export interface BusinessCalendarOptions {
  /** Movable (lunar) holidays as Gregorian `YYYY-MM-DD`. */
  holidays?: Iterable<string>;
  /** Thursday counts as a business day for payments (default: no). */
  thursdayIsBusinessDay?: boolean;
}

const FRIDAY = 5;
const THURSDAY = 4;

function weekday(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, 12)).getUTCDay();
}

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days, 12)).toISOString().slice(0, 10);
}

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TEHRAN_TIME_ZONE, timeZoneName: 'longOffset' });

/** Tehran's UTC offset (`+03:30`; `+04:30` in summers before 2023) at an instant: always east of Greenwich. */
export function tehranOffset(instant: Date): string {
  return offsetFormat
    .formatToParts(instant)
    .find((p) => p.type === 'timeZoneName')!
    .value.replace('GMT', '');
}

/** The instant of a Tehran wall-clock time (`YYYY-MM-DD`, `HH:MM`): the offset is the one in force about then. */
export function tehranInstant(isoDate: string, time: string): Date {
  const offset = tehranOffset(new Date(`${isoDate}T${time}:00+03:30`));
  return new Date(`${isoDate}T${time}:00${offset}`);
}

/** ISO date-time in Tehran time with its offset (`2019-11-11T15:45:00+03:30`). */
export function formatTehran(instant: Date): string {
  const offset = tehranOffset(instant);
  const [h, m] = offset.slice(1).split(':').map(Number) as [number, number];
  const local = new Date(instant.getTime() + (h * 60 + m) * 60_000);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

/**
 * Iran's business calendar for payments (DOMAIN.md): Fridays, Thursdays unless
 * configured otherwise, the fixed solar holidays and the movable lunar
 * holidays supplied (see loadHolidayFiles).
 */
export class BusinessCalendar {
  private readonly holidays: Set<string>;

  constructor(private readonly options: BusinessCalendarOptions = {}) {
    this.holidays = new Set(options.holidays);
  }

  isBusinessDay(isoDate: string): boolean {
    const day = weekday(isoDate);
    if (day === FRIDAY) return false;
    if (day === THURSDAY && !this.options.thursdayIsBusinessDay) return false;
    if (FIXED_SOLAR_HOLIDAYS.includes(toJalali(isoDate).slice(5))) return false;
    return !this.holidays.has(isoDate);
  }

  /** The `n`th business day after `isoDate` (the day itself not counted). */
  addBusinessDays(isoDate: string, n: number): string {
    let date = isoDate;
    for (let counted = 0; counted < n;) {
      date = addDays(date, 1);
      if (this.isBusinessDay(date)) counted++;
    }
    return date;
  }

  /** The first clearing cycle (Tehran `HH:MM` times) at or after `instant` on a business day. */
  nextCycle(instant: Date, cycles: readonly string[]): Date {
    const sorted = [...cycles].sort();
    let date = tehranDate(instant);
    // Stryker disable next-line EqualityOperator: a safety net against a calendar with no business day; a day more or less changes no real answer.
    for (let i = 0; i < 370; i++, date = addDays(date, 1)) {
      if (!this.isBusinessDay(date)) continue;
      for (const time of sorted) {
        const at = tehranInstant(date, time);
        if (at.getTime() >= instant.getTime()) return at;
      }
    }
    throw new Error('no clearing cycle within a year: check the holiday files and cycles');
  }
}

interface HolidayFile {
  year: number;
  holidays: { date: string; name: string }[];
}

/** Reads every `<jalali year>.json` in a directory (config/holidays) into Gregorian dates. */
export function loadHolidayFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .flatMap((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as HolidayFile).holidays.map((h) => fromJalali(h.date)));
}
