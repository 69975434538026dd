/** Localised text of an error: English by default, Persian for `Accept-Language: fa`. */
export interface ErrorText {
  en: string;
  fa: string;
}

export interface ErrorDetail {
  field?: string;
  code: string;
  message: string;
}

/**
 * A domain error with a stable machine-readable code. Modules define their own
 * codes (see each `*.errors.ts`); the global filter turns these into the error
 * shape of API.md.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    readonly text: ErrorText,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(text.en);
    this.name = 'AppError';
  }
}

/** Codes shared by every service. */
export const CommonErrors = {
  validation: (details: ErrorDetail[]) =>
    new AppError('VALIDATION_FAILED', 400, { en: 'The request is not valid.', fa: 'درخواست معتبر نیست.' }, details),
  notFound: () => new AppError('NOT_FOUND', 404, { en: 'Not found.', fa: 'یافت نشد.' }),
  unauthorized: () => new AppError('UNAUTHORIZED', 401, { en: 'Authentication is required.', fa: 'ابتدا وارد حساب کاربری شوید.' }),
  forbidden: () => new AppError('FORBIDDEN', 403, { en: 'Access denied.', fa: 'دسترسی مجاز نیست.' }),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(
      'RATE_LIMITED',
      429,
      { en: 'Too many requests; try again later.', fa: 'تعداد درخواست‌ها زیاد است؛ کمی بعد دوباره تلاش کنید.' },
      [],
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  serviceUnavailable: (service?: string) =>
    new AppError(
      'SERVICE_UNAVAILABLE',
      503,
      {
        en: service ? `The ${service} service is unavailable; try again shortly.` : 'Service unavailable; try again shortly.',
        fa: 'سرویس موقتا در دسترس نیست؛ کمی بعد دوباره تلاش کنید.',
      },
      [],
      { 'Retry-After': '5' },
    ),
  internal: () => new AppError('INTERNAL_ERROR', 500, { en: 'An unexpected error occurred.', fa: 'خطای پیش‌بینی‌نشده‌ای رخ داد.' }),
};
