import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { ErrorDetail } from '@darman/platform';
import { IdentityErrors } from './auth.errors.js';

/** DOMAIN.md: argon2id, m = 19 MiB, t = 2, p = 1 (the OWASP minimum). */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordService {
  /** Verified when the account does not exist, so a wrong national code takes as long as a wrong password. */
  private readonly dummyHash: Promise<string> = hash('darman-timing-equaliser', ARGON2);

  /** Throws WEAK_PASSWORD unless the password is 8–128 characters and not the national code. */
  assertAcceptable(password: string, nationalCode: string): void {
    const details: ErrorDetail[] = [];
    const length = [...password].length;
    if (length < 8 || length > 128) details.push({ field: 'password', code: 'LENGTH', message: 'password must be 8 to 128 characters' });
    if (password.trim() === nationalCode)
      details.push({ field: 'password', code: 'EQUALS_NATIONAL_CODE', message: 'password must not be the national code' });
    if (details.length > 0) throw IdentityErrors.weakPassword(details);
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }
}
