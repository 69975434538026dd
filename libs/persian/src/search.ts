import { toAsciiDigits } from './digits.js';

/**
 * Search normalisation of DOMAIN.md, applied the same way to indexed text and
 * to queries: Arabic forms of Yeh/Kaf/Heh become Persian, tatweel and
 * diacritics go, ZWNJ becomes a space, spaces collapse, digits become ASCII
 * and Latin letters lower case.
 */
export function normalizeForSearch(text: string): string {
  return (
    toAsciiDigits(text)
      .replace(/[\u064a\u0649]/g, '\u06cc')
      .replace(/\u0643/g, '\u06a9')
      .replace(/[\u06c0\u0629]/g, '\u0647')
      // Removing the combining diacritics is the point here, so the class holds them on purpose.
      // eslint-disable-next-line no-misleading-character-class
      .replace(/[\u0640\u064b-\u0652]/g, '')
      .replace(/\u200c/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase()
  );
}
