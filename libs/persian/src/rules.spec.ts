// Behaviour that mutation testing found no test for (issue 11): each case is a
// rule of DOMAIN.md that a member or an insurer would notice if it broke.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BusinessCalendar, FIXED_SOLAR_HOLIDAYS, formatTehran, loadHolidayFiles, tehranInstant, tehranOffset } from './calendar.js';
import { fromJalali, toJalali } from './jalali.js';
import { normalizeMobile } from './mobile.js';
import { isValidNationalCode, normalizeNationalCode, withNationalCodeCheckDigit } from './national-code.js';
import { isValidSheba } from './sheba.js';

describe('national code: digits 4 to 9 all zero', () => {
  it('refuses such a code even when its check digit is right, and accepts the same code with one of them changed', () => {
    const zeros = withNationalCodeCheckDigit('123000000');
    expect(isValidNationalCode(zeros)).toBe(false);
    for (const position of [3, 4, 5, 6, 7, 8]) {
      const first9 = [...'123000000'];
      first9[position] = '7';
      expect(isValidNationalCode(withNationalCodeCheckDigit(first9.join('')))).toBe(true);
    }
  });
});

describe('mobile and Sheba are whole-value patterns', () => {
  it('accepts a mobile typed without its leading zero or country code', () => {
    expect(normalizeMobile('9121234567')).toBe('09121234567');
    expect(normalizeMobile('+989121234567')).toBe('09121234567');
  });

  it('refuses a mobile with anything before or after it', () => {
    expect(normalizeMobile('09121234567')).toBe('09121234567');
    expect(normalizeMobile('x09121234567')).toBeNull();
    expect(normalizeMobile('091212345678')).toBeNull();
    expect(normalizeMobile('09121234567x')).toBeNull();
  });

  it('refuses a Sheba with anything before or after it', () => {
    const valid = 'IR820540102680020817909002';
    expect(isValidSheba(valid)).toBe(true);
    expect(isValidSheba(`X${valid}`)).toBe(false);
    expect(isValidSheba(`${valid}0`)).toBe(false);
  });
});

describe('business calendar', () => {
  // Thursdays count here, so every fixed holiday that is not a Friday must still be refused by the holiday rule alone.
  const calendar = new BusinessCalendar({ thursdayIsBusinessDay: true });

  it.each(FIXED_SOLAR_HOLIDAYS)('treats %s (Jalali month/day) as a holiday in every year', (monthDay) => {
    for (const year of [1403, 1404, 1405, 1406]) {
      const date = fromJalali(`${year}/${monthDay}`);
      expect(calendar.isBusinessDay(date)).toBe(false);
    }
  });

  it('counts an ordinary Saturday to Wednesday as a business day', () => {
    // 1405/02/05 .. 1405/02/09 = Saturday 2026-04-25 .. Wednesday 2026-04-29
    for (const day of ['2026-04-25', '2026-04-26', '2026-04-27', '2026-04-28', '2026-04-29'])
      expect(calendar.isBusinessDay(day)).toBe(true);
  });
});

describe('PAYA clearing cycle', () => {
  const calendar = new BusinessCalendar();
  // Monday 2019-11-11 (1398/08/20), the seed's transfer day; Tehran is UTC+03:30 (no DST since 2022, none in November).
  it('deposits in the cycle that starts at the very moment of the transfer', () => {
    const cycle = tehranInstant('2019-11-11', '15:45');
    expect(calendar.nextCycle(cycle, ['15:45']).toISOString()).toBe(cycle.toISOString());
    expect(formatTehran(calendar.nextCycle(new Date(cycle.getTime() + 1), ['15:45']))).toBe('2019-11-12T15:45:00+03:30');
  });

  it('reads the cycle times in Tehran time whatever the machine zone: 16:30 Tehran (13:00 UTC) is after the 15:45 cycle', () => {
    expect(formatTehran(calendar.nextCycle(new Date('2019-11-11T13:00:00Z'), ['15:45']))).toBe('2019-11-12T15:45:00+03:30');
    expect(formatTehran(calendar.nextCycle(new Date('2019-11-11T11:00:00Z'), ['15:45']))).toBe('2019-11-11T15:45:00+03:30');
  });

  it('takes the Tehran calendar day of a transfer made just after midnight Tehran time (still the previous day in UTC)', () => {
    // 00:30 Tehran on Tuesday 2019-11-12 is 21:00 UTC on Monday: the first cycle is Tuesday's.
    expect(formatTehran(calendar.nextCycle(new Date('2019-11-11T21:00:00Z'), ['15:45']))).toBe('2019-11-12T15:45:00+03:30');
  });

  it('picks the earliest cycle of several, whatever their order in the configuration', () => {
    expect(formatTehran(calendar.nextCycle(new Date('2019-11-11T05:00:00Z'), ['15:45', '10:45', '13:45']))).toBe(
      '2019-11-11T10:45:00+03:30',
    );
  });
});

describe('national code: what counts as one', () => {
  it('takes a code typed with spaces around it', () => {
    expect(normalizeNationalCode(' 0499370899 ')).toBe('0499370899');
    expect(isValidNationalCode(' ۰۴۹۹۳۷۰۸۹۹ ')).toBe(true);
  });

  it('refuses anything before or after the digits, and fewer than 8 or more than 10 of them', () => {
    for (const input of ['x0499370899', '0499370899x', '04993708990', '1234567', '', 'abcdefghij'])
      expect([input, normalizeNationalCode(input)]).toEqual([input, null]);
  });

  it('refuses eleven digits whose first ten are a valid code', () => {
    expect(isValidNationalCode('04993708991')).toBe(false);
  });

  it('builds a fixture code only from nine ASCII digits', () => {
    for (const bad of ['12345678', '1234567890', 'x12345678', '12345678x', '۱۲۳۴۵۶۷۸۹'])
      expect(() => withNationalCodeCheckDigit(bad)).toThrow('nine ASCII digits expected');
  });
});

describe('Sheba: exactly IR and 24 digits', () => {
  it('refuses 25 digits even when their checksum holds', () => {
    // 26 digits after IR whose mod-97 check passes: only the length rule refuses them.
    expect(isValidSheba('IR82054010268002081790900224')).toBe(false);
    expect(isValidSheba('IR5005401026800208179090025')).toBe(false);
  });
});

describe('Jalali dates: malformed input', () => {
  it('names the value it cannot read', () => {
    expect(() => toJalali('2019-9-5')).toThrow('not a YYYY-MM-DD date: 2019-9-5');
    expect(() => fromJalali('1398-06-14')).toThrow(new RangeError('not a YYYY/MM/DD Jalali date: 1398-06-14'));
    expect(() => fromJalali('1398/12/31')).toThrow(new RangeError('not a Jalali date: 1398/12/31')); // 1398 is not a leap year
  });

  it('reads one-digit months and days', () => {
    expect(fromJalali('1398/6/4')).toBe('2019-08-26');
    expect(fromJalali('1403/1/1')).toBe('2024-03-20');
  });

  it('writes a year before 1000 with four digits', () => {
    expect(fromJalali('0379/10/11')).toBe('1001-01-01');
    expect(fromJalali('0300/01/01')).toMatch(/^0921-03-\d{2}$/);
  });
});

describe('Tehran time', () => {
  it('has the summer offset of the years with daylight saving time, and +03:30 since', () => {
    expect(tehranOffset(new Date('2019-07-01T12:00:00Z'))).toBe('+04:30');
    expect(tehranOffset(new Date('2019-12-01T12:00:00Z'))).toBe('+03:30');
    expect(tehranOffset(new Date('2024-07-01T12:00:00Z'))).toBe('+03:30');
    expect(tehranInstant('2019-07-01', '15:45').toISOString()).toBe('2019-07-01T11:15:00.000Z');
    expect(formatTehran(new Date('2019-07-01T11:15:00Z'))).toBe('2019-07-01T15:45:00+04:30');
  });
});

describe('business calendar: limits', () => {
  it('gives up with a clear error when no business day comes within a year', () => {
    const holidays = Array.from({ length: 400 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const closed = new BusinessCalendar({ holidays });
    expect(() => closed.nextCycle(new Date('2026-01-01T06:00:00Z'), ['10:45'])).toThrow(
      'no clearing cycle within a year: check the holiday files and cycles',
    );
    // Two hundred days of holidays are not a year: the first business day after them is found.
    const long = new BusinessCalendar({ holidays: holidays.slice(0, 200) });
    expect(formatTehran(long.nextCycle(new Date('2026-01-01T06:00:00Z'), ['10:45']))).toBe('2026-07-20T10:45:00+03:30');
  });

  it('reads only the <jalali year>.json files of a holiday directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'holidays-'));
    try {
      const file = (name: string, date: string) =>
        writeFileSync(path.join(dir, name), JSON.stringify({ year: 1405, holidays: [{ date, name: 'x' }] }));
      file('1405.json', '1405/02/05');
      file('1405.json.bak', '1405/02/06');
      file('x1405.json', '1405/02/07');
      file('notes.json', '1405/02/08');
      writeFileSync(path.join(dir, 'README.md'), '# not JSON');
      expect(loadHolidayFiles(dir)).toEqual(['2026-04-25']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
