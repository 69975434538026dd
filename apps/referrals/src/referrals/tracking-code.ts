import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Crockford's base32 alphabet (no I, L, O, U) and the five extra symbols of its mod-37 check character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;
const BODY_LENGTH = 9;

/** Values of the characters a member may type: Crockford's decoding reads I and L as 1 and O as 0. */
const DECODE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
DECODE.set('I', 1);
DECODE.set('L', 1);
DECODE.set('O', 0);

function checkValue(body: string): number {
  let value = 0n;
  for (const c of body) value = value * 32n + BigInt(DECODE.get(c)!);
  return Number(value % 37n);
}

/**
 * A new tracking code (DOMAIN.md): nine random Crockford base32 characters
 * (45 bits, from the CSPRNG, not a counter) and the mod-37 check character,
 * ten in all. Bodies whose check would be one of the symbols `*~$=U` are drawn
 * again, so every code is letters and digits only: safe in a URL, in an SMS
 * and on a Persian keyboard, at the cost of 5/37 of the space.
 */
export function newTrackingCode(random: (max: number) => number = randomInt): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[random(ALPHABET.length)];
    const check = checkValue(body);
    if (check < ALPHABET.length) return body + CHECK_SYMBOLS[check];
  }
}

/**
 * The canonical form of a code as a member or a centre typed it: lower case,
 * dashes and spaces allowed, I/L/O read as 1/1/0. Null when it is not ten
 * characters or its check character does not match (a typo, caught before any
 * lookup).
 */
export function normalizeTrackingCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== BODY_LENGTH + 1) return null;
  let body = '';
  for (const c of compact.slice(0, BODY_LENGTH)) {
    const value = DECODE.get(c);
    if (value === undefined) return null;
    body += ALPHABET[value];
  }
  const last = compact[BODY_LENGTH]!;
  const check = DECODE.get(last) ?? CHECK_SYMBOLS.indexOf(last);
  // An unknown symbol gives -1, which no check value equals.
  return check === checkValue(body) ? body + CHECK_SYMBOLS[check] : null;
}

/** Where new requests get their codes: a provider, so a test can tell which code the next request gets. */
@Injectable()
export class TrackingCodes {
  next(): string {
    return newTrackingCode();
  }
}
