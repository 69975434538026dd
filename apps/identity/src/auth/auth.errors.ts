import { AppError, type ErrorDetail } from '@darman/platform';

/** Error codes of the identity service (documented in README and Swagger). */
export enum IdentityErrorCode {
  CaptchaInvalid = 'CAPTCHA_INVALID',
  CaptchaExpired = 'CAPTCHA_EXPIRED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  WeakPassword = 'WEAK_PASSWORD',
  CodeInvalid = 'CODE_INVALID',
  AlreadyActivated = 'ALREADY_ACTIVATED',
  RefreshTokenInvalid = 'REFRESH_TOKEN_INVALID',
  RefreshTokenReused = 'REFRESH_TOKEN_REUSED',
  CurrentPasswordIncorrect = 'CURRENT_PASSWORD_INCORRECT',
  AccountNotFound = 'ACCOUNT_NOT_FOUND',
}

export const IdentityErrors = {
  captchaInvalid: () =>
    new AppError(IdentityErrorCode.CaptchaInvalid, 400, {
      en: 'The security code is wrong; get a new one.',
      fa: 'کد امنیتی اشتباه است؛ کد جدیدی دریافت کنید.',
    }),
  captchaExpired: () =>
    new AppError(IdentityErrorCode.CaptchaExpired, 400, {
      en: 'The security code has expired or was already used; get a new one.',
      fa: 'کد امنیتی منقضی شده یا قبلا استفاده شده است؛ کد جدیدی دریافت کنید.',
    }),
  /** Same answer for an unknown account, a wrong password and a locked account (then with Retry-After). */
  invalidCredentials: (retryAfterSeconds?: number) =>
    new AppError(
      IdentityErrorCode.InvalidCredentials,
      401,
      { en: 'National code, membership type or password is wrong.', fa: 'کد ملی، نوع عضویت یا رمز عبور اشتباه است.' },
      [],
      retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {},
    ),
  weakPassword: (details: ErrorDetail[]) =>
    new AppError(
      IdentityErrorCode.WeakPassword,
      400,
      {
        en: 'The password must be 8 to 128 characters and not your national code.',
        fa: 'رمز عبور باید ۸ تا ۱۲۸ نویسه و غیر از کد ملی باشد.',
      },
      details,
    ),
  codeInvalid: () =>
    new AppError(IdentityErrorCode.CodeInvalid, 400, {
      en: 'The code is wrong or has expired; ask for a new one.',
      fa: 'کد تایید اشتباه یا منقضی شده است؛ کد جدیدی درخواست کنید.',
    }),
  alreadyActivated: () =>
    new AppError(IdentityErrorCode.AlreadyActivated, 409, {
      en: 'The portal is already active for this person; log in or reset the password.',
      fa: 'پرتال برای این شخص قبلا فعال شده است؛ وارد شوید یا رمز عبور را بازیابی کنید.',
    }),
  refreshTokenInvalid: () =>
    new AppError(IdentityErrorCode.RefreshTokenInvalid, 401, {
      en: 'The session has ended; log in again.',
      fa: 'نشست شما پایان یافته است؛ دوباره وارد شوید.',
    }),
  refreshTokenReused: () =>
    new AppError(IdentityErrorCode.RefreshTokenReused, 401, {
      en: 'This refresh token was already used; the session has been ended for safety. Log in again.',
      fa: 'این توکن قبلا استفاده شده است؛ برای امنیت، نشست پایان یافت. دوباره وارد شوید.',
    }),
  currentPasswordIncorrect: () =>
    new AppError(IdentityErrorCode.CurrentPasswordIncorrect, 403, {
      en: 'The current password is wrong.',
      fa: 'رمز عبور فعلی اشتباه است.',
    }),
  accountNotFound: () =>
    new AppError(IdentityErrorCode.AccountNotFound, 401, {
      en: 'The account no longer exists; log in again.',
      fa: 'حساب کاربری یافت نشد؛ دوباره وارد شوید.',
    }),
};
