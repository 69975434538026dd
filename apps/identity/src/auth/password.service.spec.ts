import { AppError } from '@darman/platform';
import { PasswordService } from './password.service.js';

describe('PasswordService', () => {
  const passwords = new PasswordService();
  const codeOf = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (error) {
      return error instanceof AppError ? [error.code, error.details.map((d) => d.code)] : error;
    }
  };

  it('refuses passwords shorter than 8 or longer than 128 characters, and the national code', () => {
    expect(codeOf(() => passwords.assertAcceptable('1234567', '0499370899'))).toEqual(['WEAK_PASSWORD', ['LENGTH']]);
    expect(codeOf(() => passwords.assertAcceptable('x'.repeat(129), '0499370899'))).toEqual(['WEAK_PASSWORD', ['LENGTH']]);
    expect(codeOf(() => passwords.assertAcceptable('0499370899', '0499370899'))).toEqual(['WEAK_PASSWORD', ['EQUALS_NATIONAL_CODE']]);
    expect(codeOf(() => passwords.assertAcceptable('رمز-عبور-خوب', '0499370899'))).toBeNull();
  });

  it('hashes with argon2id at the DOMAIN.md parameters and verifies only the right password', async () => {
    const hash = await passwords.hash('correct horse');
    expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(hash).not.toContain('correct horse');
    expect(await passwords.verify(hash, 'correct horse')).toBe(true);
    expect(await passwords.verify(hash, 'Correct horse')).toBe(false);
    expect(await passwords.verify(undefined, 'correct horse')).toBe(false);
  });
});
