// Behaviour that mutation testing found no test for (issue 11): each case is a
// rule of DOMAIN.md that a member or an insurer would notice if it broke.
import { BusinessCalendar, FIXED_SOLAR_HOLIDAYS, formatTehran, tehranInstant } from './calendar.js';
import { fromJalali } from './jalali.js';
import { normalizeMobile } from './mobile.js';
import { isValidNationalCode, withNationalCodeCheckDigit } from './national-code.js';
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
