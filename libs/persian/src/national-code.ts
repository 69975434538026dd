import { toAsciiDigits } from './digits.js';

/**
 * Normalises a national code (کد ملی) as DOMAIN.md says: non-ASCII digits to
 * ASCII, 8–9 digit input left-padded to 10. Returns null when the input cannot
 * be a national code at all; the check digit is verified by isValidNationalCode.
 */
export function normalizeNationalCode(input: string): string | null {
  const ascii = toAsciiDigits(input.trim());
  if (!/^\d{8,10}$/.test(ascii)) return null;
  return ascii.padStart(10, '0');
}

/** The rules of a normalised (ten ASCII digits) national code: digits 4–9 not all zero, and the check digit. */
function hasValidNationalCodeCheckDigit(code: string): boolean {
  if (code.slice(3, 9) === '000000') return false;
  const digits = [...code].map(Number);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digits[i]! * (10 - i);
  const r = sum % 11;
  const expected = r < 2 ? r : 11 - r;
  return digits[9] === expected;
}

/** True when the (possibly Persian-digit, 8–10 digit) input is a valid national code. */
export function isValidNationalCode(input: string): boolean {
  const normalized = normalizeNationalCode(input);
  return normalized !== null && hasValidNationalCodeCheckDigit(normalized);
}

/** Builds a valid national code from its first nine digits (used by fixtures and the demo seed). */
export function withNationalCodeCheckDigit(first9: string): string {
  if (!/^\d{9}$/.test(first9)) throw new Error('nine ASCII digits expected');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (10 - i);
  const r = sum % 11;
  return first9 + String(r < 2 ? r : 11 - r);
}
