import { toAsciiDigits } from './digits.js';

/** Accepts 09…, +989…, 00989…, 989… with any digits; returns 09XXXXXXXXX or null. */
export function normalizeMobile(input: string): string | null {
  const compact = toAsciiDigits(input).replace(/[\s-]/g, '');
  const match = /^(?:\+98|0098|98|0)?(9\d{9})$/.exec(compact);
  return match ? `0${match[1]}` : null;
}
