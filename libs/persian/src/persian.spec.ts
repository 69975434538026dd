import {
  isValidNationalCode,
  isValidSheba,
  maskSheba,
  normalizeMobile,
  normalizeNationalCode,
  toAsciiDigits,
  withNationalCodeCheckDigit,
  toJalali,
  fromJalali,
  tehranDate,
  toJalaliInstant,
  normalizeForSearch,
  BusinessCalendar,
  formatTehran,
  loadHolidayFiles,
} from './index.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('toAsciiDigits', () => {
  it('converts Persian and Arabic-Indic digits and leaves other text alone', () => {
    expect(toAsciiDigits('۱۷۲۲۱۶۹ و ٠١٢٣٤٥٦٧٨٩ abc')).toBe('1722169 و 0123456789 abc');
  });
});

describe('national code', () => {
  it('accepts a code whose check digit matches (remainder >= 2)', () => {
    // 0499370899: s = 0*10+4*9+9*8+9*7+3*6+7*5+0*4+8*3+9*2 = 266, 266 % 11 = 2, check = 9
    expect(isValidNationalCode('0499370899')).toBe(true);
  });
  it('rejects the same code with a wrong check digit', () => {
    expect(isValidNationalCode('0499370898')).toBe(false);
  });
  it('accepts Persian digits and pads 8–9 digit input', () => {
    expect(normalizeNationalCode('۰۴۹۹۳۷۰۸۹۹')).toBe('0499370899');
    const code = withNationalCodeCheckDigit('001234567');
    expect(isValidNationalCode(code.slice(2))).toBe(true);
  });
  it('rejects codes whose digits 4 to 9 are all zero, letters and wrong lengths', () => {
    expect(isValidNationalCode('1110000001')).toBe(false);
    expect(isValidNationalCode('12345abc90')).toBe(false);
    expect(isValidNationalCode('1234567')).toBe(false);
    expect(isValidNationalCode('12345678901')).toBe(false);
  });
  it('builds valid codes for fixtures', () => {
    for (const prefix of ['228112345', '000000001', '987654321']) {
      expect(isValidNationalCode(withNationalCodeCheckDigit(prefix))).toBe(true);
    }
  });
});

describe('Sheba', () => {
  it('accepts a valid IBAN, with Persian digits and spaces, and rejects a changed digit', () => {
    expect(isValidSheba('IR062960000000100324200001')).toBe(true);
    expect(isValidSheba('ir06 2960 0000 0010 0324 2000 01')).toBe(true);
    expect(isValidSheba('IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱')).toBe(true);
    expect(isValidSheba('IR062960000000100324200002')).toBe(false);
    expect(isValidSheba('DE062960000000100324200001')).toBe(false);
  });
  it('masks all but the country and the last four digits', () => {
    expect(maskSheba('IR062960000000100324200001')).toBe('IR••••••••••••••••••••0001');
  });
});

describe('mobile', () => {
  it.each([
    ['09121234567', '09121234567'],
    ['+989121234567', '09121234567'],
    ['00989121234567', '09121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '09121234567'],
    ['0912 123 4567', '09121234567'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });
  it('rejects landlines and short numbers', () => {
    expect(normalizeMobile('02122514788')).toBeNull();
    expect(normalizeMobile('0912123456')).toBeNull();
  });
});

describe('Jalali dates', () => {
  it.each([
    ['2019-09-05', '1398/06/14'],
    ['2019-10-18', '1398/07/26'],
    ['2019-11-03', '1398/08/12'],
    ['2019-11-11', '1398/08/20'],
    ['2024-03-20', '1403/01/01'],
  ])('%s is %s and back', (iso, jalali) => {
    expect(toJalali(iso)).toBe(jalali);
    expect(fromJalali(jalali)).toBe(iso);
  });
  it('reads Persian digits and refuses impossible dates', () => {
    expect(fromJalali('۱۳۹۸/۰۶/۱۴')).toBe('2019-09-05');
    expect(() => fromJalali('1398/13/01')).toThrow(RangeError);
    expect(() => toJalali('2019-9-5')).toThrow(RangeError);
  });
  it('takes the Tehran calendar date of an instant', () => {
    // 21:00 UTC is already the next day in Tehran (+03:30).
    expect(tehranDate(new Date('2019-09-04T21:00:00Z'))).toBe('2019-09-05');
    expect(toJalaliInstant(new Date('2019-09-04T21:00:00Z'))).toBe('1398/06/14');
  });
});

describe('normalizeForSearch', () => {
  it('makes Arabic and Persian spellings, spacing and ZWNJ the same query', () => {
    expect(normalizeForSearch('بيمارستان شفا')).toBe(normalizeForSearch('بیمارستان  شفا'));
    expect(normalizeForSearch('كلينيك\u200cها')).toBe('کلینیک ها');
    expect(normalizeForSearch('خانۀ سلامة')).toBe('خانه سلامه');
    expect(normalizeForSearch('مـحـمّد')).toBe('محمد');
    expect(normalizeForSearch(' Tel ۰۷۱-۳۲۳ ')).toBe('tel 071-323');
  });
});

describe('BusinessCalendar', () => {
  // 17 Rabi al-Awwal 1441 fell on Thursday 1398/08/23 (Umm al-Qura) — a day off either way.
  const calendar = new BusinessCalendar({ holidays: ['2019-11-14'] });

  it('skips Fridays, Thursdays, fixed solar and listed lunar holidays', () => {
    expect(calendar.isBusinessDay('2019-11-09')).toBe(true); // Saturday
    expect(calendar.isBusinessDay('2019-11-14')).toBe(false); // Thursday (and a holiday)
    expect(calendar.isBusinessDay('2019-11-15')).toBe(false); // Friday
    expect(calendar.isBusinessDay('2020-02-11')).toBe(false); // 22 Bahman 1398, a Tuesday
    expect(calendar.isBusinessDay('2019-06-04')).toBe(false); // 14 Khordad 1398
    expect(new BusinessCalendar({ holidays: ['2019-10-20'] }).isBusinessDay('2019-10-20')).toBe(false); // a listed lunar holiday (Sunday)
    expect(new BusinessCalendar({ thursdayIsBusinessDay: true }).isBusinessDay('2019-11-21')).toBe(true);
  });

  it('counts 15 business days from the issue date of the seed claim', () => {
    // Issued Saturday 1398/08/18; Thursdays and Fridays skipped: due Saturday 1398/09/09.
    expect(calendar.addBusinessDays('2019-11-09', 15)).toBe('2019-11-30');
    expect(toJalali('2019-11-30')).toBe('1398/09/09');
    // Across Nowruz: 1–4 Farvardin and 12–13 Farvardin are holidays.
    // 1402/12/29 (a Tuesday) → 1403/01/01–04 off, 01/02 a Thursday, 01/03 a Friday → Sunday 1403/01/05.
    expect(calendar.addBusinessDays('2024-03-19', 1)).toBe('2024-03-24');
  });

  it('finds the first PAYA cycle at or after the transfer on a business day, in Tehran time', () => {
    expect(formatTehran(calendar.nextCycle(new Date('2019-11-11T10:00:00+03:30'), ['15:45']))).toBe('2019-11-11T15:45:00+03:30');
    // After the day's last cycle on a Wednesday: the next business day is Saturday.
    expect(formatTehran(calendar.nextCycle(new Date('2019-11-13T16:00:00+03:30'), ['10:45', '15:45']))).toBe('2019-11-16T10:45:00+03:30');
    // Summer 2019 had daylight saving time (+04:30).
    expect(formatTehran(calendar.nextCycle(new Date('2019-07-01T09:00:00+04:30'), ['15:45']))).toBe('2019-07-01T15:45:00+04:30');
  });

  it('reads the shipped holiday files', () => {
    const dates = loadHolidayFiles(path.join(REPO_ROOT, 'config', 'holidays'));
    expect(dates).toContain('2019-04-03'); // Mab'ath, 1398/01/14
    expect(dates.some((d) => d.startsWith('2026-'))).toBe(true);
  });
});
