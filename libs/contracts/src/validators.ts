import { isValidNationalCode, isValidSheba, normalizeNationalCode, normalizeMobile } from '@darman/persian';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

export const MAX_MONEY = 1_000_000_000_000_000; // 10^15 rials

/** Constraint names the event validator maps to their own DLQ error codes. */
export const NATIONAL_CODE_CONSTRAINT = 'isNationalCode';

export function IsNationalCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: NATIONAL_CODE_CONSTRAINT,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a valid national code`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidNationalCode(value),
      },
    });
  };
}

/** Persian or Arabic-Indic digits in a national code are normalised before validation. */
export function NormalizeNationalCode(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? (normalizeNationalCode(value) ?? value) : value));
}

export function NormalizeMobile(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? (normalizeMobile(value) ?? value) : value));
}

// Stryker disable next-line Regex: without an anchor, what is around the date fails the round trip below.
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD`, a real calendar date. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a date YYYY-MM-DD`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && CALENDAR_DATE.test(value) && isRealDate(value),
      },
    });
  };
}

/**
 * A `YYYY-MM-DD` PostgreSQL can store: only a real date survives the round trip through Date (Date itself takes
 * `2019-02-30` as 2 March), and year 0 does not exist there.
 */
function isRealDate(ymd: string): boolean {
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(ymd) && ymd >= '0001';
}

// Stryker disable next-line Regex: without `$`, Date.parse refuses whatever follows the offset.
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T(\d{2}):\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](\d{2}):\d{2})$/;

/** The widest real offsets are UTC-12 and UTC+14; PostgreSQL refuses 16:00 and more, which Date.parse takes. */
const MAX_OFFSET_HOURS = 14;

/**
 * An ISO-8601 date-time with offset that is a real instant: a real calendar date (Date.parse takes Feb 30), an
 * hour up to 23 (it takes 24:00) and a real offset.
 */
export function isDateTimeWithOffset(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME_WITH_OFFSET.exec(value);
  if (!match || Number.isNaN(Date.parse(value))) return false;
  const [, hour, , , , offsetHours] = match;
  // `Z` has no offset hours (NaN compares false).
  return isRealDate(value.slice(0, 10)) && Number(hour) <= 23 && !(Number(offsetHours) > MAX_OFFSET_HOURS);
}

/** ISO-8601 date-time that carries an offset (or Z). */
export function IsDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDateTimeWithOffset',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an ISO-8601 date-time with offset`, ...options },
      validator: {
        validate: isDateTimeWithOffset,
      },
    });
  };
}

/** `endDate >= startDate` style cross-field rule. */
export function IsOnOrAfter(otherField: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isOnOrAfter',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [otherField],
      options: { message: `${String(propertyName)} must not be before ${otherField}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[args.constraints[0] as string];
          return typeof value !== 'string' || typeof other !== 'string' || value >= other;
        },
      },
    });
  };
}

/** `IR` + 24 digits whose mod-97 check holds (DOMAIN.md). */
export function IsSheba(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isSheba',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a valid Sheba (IR + 24 digits)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidSheba(value) },
    });
  };
}
