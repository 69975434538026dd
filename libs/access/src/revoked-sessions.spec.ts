import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ACCESS_TOKEN, JwtAccessTokenVerifier } from './caller.js';
import { RevokedSessions } from './revoked-sessions.js';

const MINUTE = 60_000;

describe('revoked sessions', () => {
  it('refuses a session from its revocation until every token of it has expired (lifetime plus a minute of skew)', () => {
    let now = 100 * MINUTE;
    const revoked = new RevokedSessions(() => now);
    revoked.revoke('s-1', now);
    expect(revoked.has('s-1')).toBe(true);
    expect(revoked.has('s-2')).toBe(false);
    now += ACCESS_TOKEN.lifetimeSeconds * 1000 + MINUTE - 1;
    expect(revoked.has('s-1')).toBe(true);
    now += 1;
    expect(revoked.has('s-1')).toBe(false);
  });

  it('does not keep a revocation older than any token could live (a process reading the topic from its start)', () => {
    const now = 100 * MINUTE;
    const revoked = new RevokedSessions(() => now);
    revoked.revoke('old', now - ACCESS_TOKEN.lifetimeSeconds * 1000 - MINUTE);
    revoked.revoke('recent', now - MINUTE);
    expect(revoked.has('old')).toBe(false);
    expect(revoked.has('recent')).toBe(true);
    expect(revoked.size).toBe(1);
  });

  it('keeps the later of two revocations of one session, and prunes the ones whose tokens are gone', () => {
    let now = 100 * MINUTE;
    const revoked = new RevokedSessions(() => now, 10 * MINUTE);
    revoked.revoke('a', now);
    revoked.revoke('b', now + 5 * MINUTE);
    revoked.revoke('a', now - 5 * MINUTE); // a late duplicate shortens nothing
    now += 10 * MINUTE;
    expect(revoked.has('a')).toBe(false);
    revoked.revoke('c', now);
    expect(revoked.size).toBe(2); // 'a' pruned on the next revocation; 'b' and 'c' remain
    expect(revoked.has('b')).toBe(true);
  });
});

describe('JwtAccessTokenVerifier with revoked sessions', () => {
  it('refuses a token of a revoked session with SESSION_REVOKED, also when it was verified before, and only that session', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
    const token = (sid: string) =>
      new SignJWT({ mt: 'GROUP', sid })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(ACCESS_TOKEN.issuer)
        .setAudience(ACCESS_TOKEN.audience)
        .setSubject('0499370899')
        .setExpirationTime('10m')
        .sign(privateKey);
    const revoked = new RevokedSessions();
    const verifier = new JwtAccessTokenVerifier(keys, Date.now, revoked);
    const [ended, other] = [await token('s-ended'), await token('s-other')];
    await expect(verifier.verify(ended)).resolves.toMatchObject({ sessionId: 's-ended' });
    revoked.revoke('s-ended', Date.now());
    await expect(verifier.verify(ended)).rejects.toMatchObject({ code: 'SESSION_REVOKED', statusCode: 401 });
    await expect(verifier.verify(other)).resolves.toMatchObject({ sessionId: 's-other' });
  });
});
