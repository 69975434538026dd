import { toAsciiDigits } from './digits.js';

/** Normalises a Sheba (Iranian IBAN): digits to ASCII, spaces removed, upper case. */
export function normalizeSheba(input: string): string {
  return toAsciiDigits(input).replace(/[\s-]/g, '').toUpperCase();
}

/** IR + 24 digits with a valid ISO 13616 mod-97 checksum. */
export function isValidSheba(input: string): boolean {
  const iban = normalizeSheba(input);
  // Stryker disable next-line Regex: without `^` a prefix puts a letter into the checksum digits (NaN, refused); `$` is pinned by a 25-digit value whose checksum holds (rules.spec.ts).
  if (!/^IR\d{24}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + '1827' + iban.slice(2, 4);
  let remainder = 0;
  for (const ch of rearranged) remainder = (remainder * 10 + Number(ch)) % 97;
  return remainder === 1;
}

/** IR••••••••••••••••••••1234 — what members see of an account number. */
export function maskSheba(input: string): string {
  const iban = normalizeSheba(input);
  return iban.slice(0, 2) + '•'.repeat(Math.max(0, iban.length - 6)) + iban.slice(-4);
}
