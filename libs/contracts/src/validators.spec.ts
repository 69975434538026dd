// The contract's own decorators (validators.ts), as a producer meets them: which values pass,
// and the constraint name and message a refused one is reported with (the DLQ reason).
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { withNationalCodeCheckDigit } from '@darman/persian';
import {
  IsCalendarDate,
  IsDateTimeWithOffset,
  IsNationalCode,
  IsOnOrAfter,
  IsSheba,
  NATIONAL_CODE_CONSTRAINT,
  NormalizeMobile,
  NormalizeNationalCode,
} from './validators.js';

const code = withNationalCodeCheckDigit('049937089');

class Person {
  @NormalizeNationalCode() @IsNationalCode() nationalCode!: unknown;
  @NormalizeMobile() mobile?: unknown;
}

class Dates {
  @IsCalendarDate() startDate!: unknown;
  @IsCalendarDate() @IsOnOrAfter('startDate') endDate!: unknown;
  @IsDateTimeWithOffset() at!: unknown;
}

class Account {
  @IsSheba() iban!: unknown;
}

class Custom {
  @IsNationalCode({ message: 'custom national code' }) a!: unknown;
  @IsCalendarDate({ message: 'custom date' }) b!: unknown;
  @IsDateTimeWithOffset({ message: 'custom instant' }) c!: unknown;
  @IsOnOrAfter('b', { message: 'custom order' }) d!: unknown;
  @IsSheba({ message: 'custom sheba' }) e!: unknown;
}

/** The refusals of one value: { property: { constraint: message } }. */
function refusals<T extends object>(cls: new () => T, plain: Record<string, unknown>): Record<string, Record<string, string>> {
  const errors = validateSync(plainToInstance(cls, plain));
  return Object.fromEntries(errors.map((e) => [e.property, e.constraints ?? {}]));
}

const validDates = { startDate: '2019-03-21', endDate: '2027-03-20', at: '2026-01-10T09:00:00+03:30' };

describe('national code', () => {
  it('accepts a valid code in Persian digits, as the normaliser writes it in ASCII', () => {
    expect(refusals(Person, { nationalCode: code })).toEqual({});
    const persian = code.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    expect(refusals(Person, { nationalCode: persian })).toEqual({});
    expect(plainToInstance(Person, { nationalCode: persian }).nationalCode).toBe(code);
  });

  it('refuses a wrong check digit, a number and a missing value, naming the constraint', () => {
    const wrong = code.slice(0, 9) + String((Number(code[9]) + 1) % 10);
    for (const nationalCode of [wrong, Number(code), undefined, '12345'])
      expect(refusals(Person, { nationalCode })).toEqual({
        nationalCode: { [NATIONAL_CODE_CONSTRAINT]: 'nationalCode must be a valid national code' },
      });
    expect(NATIONAL_CODE_CONSTRAINT).toBe('isNationalCode');
  });

  it('leaves a value it cannot normalise as it came, for the validator to refuse', () => {
    expect(plainToInstance(Person, { nationalCode: 'abc' }).nationalCode).toBe('abc');
    expect(plainToInstance(Person, { nationalCode: 42 }).nationalCode).toBe(42);
  });
});

describe('mobile normaliser', () => {
  it('writes a mobile in the 09… form and leaves what is not one alone', () => {
    expect(plainToInstance(Person, { nationalCode: code, mobile: '+98 912 123 4567' }).mobile).toBe('09121234567');
    expect(plainToInstance(Person, { nationalCode: code, mobile: '۰۹۱۲۱۲۳۴۵۶۷' }).mobile).toBe('09121234567');
    expect(plainToInstance(Person, { nationalCode: code, mobile: '021-1234' }).mobile).toBe('021-1234');
    expect(plainToInstance(Person, { nationalCode: code, mobile: 9121234567 }).mobile).toBe(9121234567);
  });
});

describe('calendar dates', () => {
  it('accepts real YYYY-MM-DD dates, the end on or after the start', () => {
    expect(refusals(Dates, validDates)).toEqual({});
    expect(refusals(Dates, { ...validDates, endDate: validDates.startDate })).toEqual({});
    expect(refusals(Dates, { ...validDates, startDate: '2024-02-29', endDate: '2024-02-29' })).toEqual({});
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '0000-01-01',
    '2026-13-01',
    '2026-1-05',
    '206-01-05',
    ' 2026-01-05',
    '2026-01-05 ',
    '2026-01-05T00:00:00Z',
    20260105,
    null,
  ])('refuses %p as a date', (startDate) => {
    expect(refusals(Dates, { ...validDates, startDate, endDate: '2099-01-01' })).toEqual({
      startDate: { isCalendarDate: 'startDate must be a date YYYY-MM-DD' },
    });
  });

  it('refuses partial dates, a signed year and a date in an array', () => {
    for (const startDate of ['2026-01', '2026', '+002026-01-05', ['2026-01-05']])
      expect([startDate, refusals(Dates, { ...validDates, startDate, endDate: '2099-01-01' })]).toEqual([
        startDate,
        { startDate: { isCalendarDate: 'startDate must be a date YYYY-MM-DD' } },
      ]);
  });

  it('refuses an end before the start, and leaves the order to the date rule when a side is not a string', () => {
    expect(refusals(Dates, { ...validDates, endDate: '2019-03-20' })).toEqual({
      endDate: { isOnOrAfter: 'endDate must not be before startDate' },
    });
    expect(refusals(Dates, { ...validDates, startDate: 5 })).toEqual({
      startDate: { isCalendarDate: 'startDate must be a date YYYY-MM-DD' },
    });
  });
});

describe('instants', () => {
  it.each([
    '2026-01-10T09:00+03:30',
    '2026-01-10T09:00:00Z',
    '2026-01-10T09:00:00.123456789-05:00',
    '2026-01-10T09:00:00.5+00:00',
    '2024-02-29T23:59:59+14:00',
    '0001-01-01T00:00:00-12:00',
  ])('accepts %s', (at) => expect(refusals(Dates, { ...validDates, at })).toEqual({}));

  it.each([
    '2026-01-10T09:00:00',
    '2026-01-10',
    '2026-01-10T09:00:00+0330',
    '2026-01-10T09:00:00.+03:30',
    'x2026-01-10T09:00:00Z',
    '2026-01-10T09:00:00Zx',
    '2026-01-40T09:00:00Z',
    // Date.parse takes these (Feb 30 as 2 March, 24:00 as the next day, offsets PostgreSQL refuses), PostgreSQL does not.
    '2019-02-30T10:00:00+03:30',
    '2025-02-29T10:00:00Z',
    '0000-01-01T10:00:00Z',
    '2026-01-10T24:00:00Z',
    '2026-01-10T09:00:00+15:00',
    '2026-01-10T09:00:00-16:00',
    '2026-01-10T09:00:00.1234567890Z',
    ['2026-01-10T09:00:00Z'],
    1_768_023_000_000,
  ])('refuses %p', (at) => {
    expect(refusals(Dates, { ...validDates, at })).toEqual({
      at: { isDateTimeWithOffset: 'at must be an ISO-8601 date-time with offset' },
    });
  });
});

describe('Sheba', () => {
  it('accepts a valid Sheba and refuses a changed digit or a number', () => {
    expect(refusals(Account, { iban: 'IR820540102680020817909002' })).toEqual({});
    for (const iban of ['IR820540102680020817909003', 8_205_401_026, undefined])
      expect(refusals(Account, { iban })).toEqual({ iban: { isSheba: 'iban must be a valid Sheba (IR + 24 digits)' } });
  });
});

describe('options', () => {
  it("reports a decorator's own message when one is given", () => {
    expect(refusals(Custom, { a: 'x', b: '2026-02-30', c: 'x', d: '2026-01-01', e: 'x' })).toEqual({
      a: { isNationalCode: 'custom national code' },
      b: { isCalendarDate: 'custom date' },
      c: { isDateTimeWithOffset: 'custom instant' },
      d: { isOnOrAfter: 'custom order' },
      e: { isSheba: 'custom sheba' },
    });
  });
});
