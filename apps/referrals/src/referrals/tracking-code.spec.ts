import { newTrackingCode, normalizeTrackingCode } from './tracking-code.js';

describe('tracking codes', () => {
  it('are ten letters and digits of Crockford base32 whose check character verifies', () => {
    for (let i = 0; i < 2_000; i++) {
      const code = newTrackingCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(normalizeTrackingCode(code)).toBe(code);
    }
  });

  it('are random, not a counter: two thousand draws do not repeat', () => {
    const codes = new Set(Array.from({ length: 2_000 }, () => newTrackingCode()));
    expect(codes.size).toBe(2_000);
  });

  it('draw again when the check would be one of the symbols *~$=U', () => {
    // The body 000000001 has value 1, check 1; the body 00000000Z has value 31, check 31; 00000010Z is 32·32+31 = 1055, 1055 mod 37 = 19.
    // A body of value 32 (000000010) has check 32, the symbol '*': the generator must not return it.
    const draws = [...'000000010', ...'000000001'].map((c) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c));
    const code = newTrackingCode(() => draws.shift()!);
    expect(code).toBe('0000000011');
  });

  it('resolve when typed in lower case, with dashes or spaces, or with I, L and O for 1, 1 and 0', () => {
    const code = '0000000011';
    expect(normalizeTrackingCode('00000-00011')).toBe(code);
    expect(normalizeTrackingCode(' oooo oooo 1l ')).toBe(code);
    expect(normalizeTrackingCode('OOOOOOOOIl')).toBe(code);
    const random = newTrackingCode();
    expect(normalizeTrackingCode(random.toLowerCase())).toBe(random);
    expect(normalizeTrackingCode(`${random.slice(0, 5)}-${random.slice(5)}`)).toBe(random);
  });

  it('refuse a wrong check character, a wrong length and characters outside the alphabet', () => {
    const code = newTrackingCode();
    const wrongCheck = code.slice(0, 9) + (code[9] === 'A' ? 'B' : 'A');
    expect(normalizeTrackingCode(wrongCheck)).toBeNull();
    // A single changed body character changes the check (mod 37 catches every single-character error).
    const changed = (code[0] === '7' ? '8' : '7') + code.slice(1);
    expect(normalizeTrackingCode(changed)).toBeNull();
    expect(normalizeTrackingCode(code.slice(0, 9))).toBeNull();
    expect(normalizeTrackingCode(`${code}0`)).toBeNull();
    expect(normalizeTrackingCode('00000000U1')).toBeNull();
    expect(normalizeTrackingCode('')).toBeNull();
  });

  it('accept a check symbol outside the alphabet when it is the right one', () => {
    // Value 32 → check 32 = '*'; value 33 (000000011) → '~'; 36 (000000014) → 'U'.
    expect(normalizeTrackingCode('000000010*')).toBe('000000010*');
    expect(normalizeTrackingCode('000000011~')).toBe('000000011~');
    expect(normalizeTrackingCode('000000014u')).toBe('000000014U');
    expect(normalizeTrackingCode('000000014*')).toBeNull();
  });
});
