import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonErrors, type ErrorDetail } from './app-error.js';

function toCode(constraint: string): string {
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
    exceptionFactory: (errors) => CommonErrors.validation(validationDetails(errors)),
  });
}
