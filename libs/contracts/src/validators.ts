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
        validate(value: unknown) {
          // The shape first (`2026-01` alone would round-trip), then only a real date survives the round trip.
          if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return false;
          const d = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
        },
      },
    });
  };
}

// Stryker disable next-line Regex: without `$`, Date.parse refuses whatever follows the offset.
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO-8601 date-time that carries an offset (or Z). */
export function IsDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDateTimeWithOffset',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an ISO-8601 date-time with offset`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value)),
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
