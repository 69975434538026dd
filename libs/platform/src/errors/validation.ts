import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, CommonErrors, type ErrorDetail } from './app-error.js';

/** Constraints whose failure has a domain code of its own (API.md's example: NATIONAL_CODE_INVALID). */
const DOMAIN_ERRORS: Record<string, { code: string; en: string; fa: string }> = {
  isNationalCode: { code: 'NATIONAL_CODE_INVALID', en: 'The national code is not valid.', fa: 'کد ملی معتبر نیست.' },
  isSheba: { code: 'IBAN_INVALID', en: 'The Sheba number is not valid.', fa: 'شماره شبا معتبر نیست.' },
};

function toCode(constraint: string): string {
  const domain = DOMAIN_ERRORS[constraint];
  if (domain) return domain.code;
  return constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function validationDetails(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: constraint === 'whitelistValidation' ? 'UNKNOWN_FIELD' : toCode(constraint),
      message,
    }));
    return [...own, ...validationDetails(e.children ?? [], field)];
  });
}

/** Global validation: unknown fields refused, values transformed, errors listed per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = validationDetails(errors);
      // When every problem is the same domain failure, that code is the answer's code.
      const codes = new Set(details.map((d) => d.code));
      const domain = codes.size === 1 ? Object.values(DOMAIN_ERRORS).find((e) => codes.has(e.code)) : undefined;
      if (domain) return new AppError(domain.code, 400, { en: domain.en, fa: domain.fa }, details);
      return CommonErrors.validation(details);
    },
  });
}
