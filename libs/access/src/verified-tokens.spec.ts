import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { ACCESS_TOKEN, JwtAccessTokenVerifier, type Caller } from './caller.js';
import { VerifiedTokens } from './verified-tokens.js';

const alice: Caller = { nationalCode: '0499370899', membershipType: 'GROUP', sessionId: 's-1' };

describe('verified tokens', () => {
  it('answers a token until its exp, and never after', () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens(10, () => now);
    tokens.set('t', alice, 1_000 + 60);
    expect(tokens.get('t')).toEqual(alice);
    now = 1_059_999;
    expect(tokens.get('t')).toEqual(alice);
    now = 1_060_000;
    expect(tokens.get('t')).toBeUndefined();
    now = 1_000_000;
    expect(tokens.get('t')).toBeUndefined(); // an expired entry is dropped, not kept
    expect(tokens.get('other')).toBeUndefined();
  });

  it('keeps at most its bound, dropping the oldest', () => {
    const tokens = new VerifiedTokens(2, () => 0);
    tokens.set('a', alice, 100);
    tokens.set('b', alice, 100);
    tokens.set('c', alice, 100);
    expect(tokens.size).toBe(2);
    expect(tokens.get('a')).toBeUndefined();
    expect(tokens.get('b')).toEqual(alice);
    expect(tokens.get('c')).toEqual(alice);
  });
});

describe('JwtAccessTokenVerifier with verified tokens', () => {
  let sign: (claims: Record<string, unknown>, exp: number) => Promise<string>;
  let jwk: JWK;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    sign = (claims, exp) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(ACCESS_TOKEN.issuer)
        .setAudience(ACCESS_TOKEN.audience)
        .setSubject(alice.nationalCode)
        .setExpirationTime(exp)
        .sign(privateKey);
  });

  it('checks the signature of a token once, and answers it again without the key set while it is valid', async () => {
    let lookups = 0;
    const local = createLocalJWKSet({ keys: [jwk] });
    const keys = ((...args: Parameters<typeof local>) => {
      lookups++;
      return local(...args);
    }) as typeof local;
    let now = Date.now();
    const verifier = new JwtAccessTokenVerifier(keys, () => now);
    const exp = Math.floor(now / 1000) + 600;
    const token = await sign({ mt: 'GROUP', sid: 's-1' }, exp);
    await expect(verifier.verify(token)).resolves.toEqual(alice);
    await expect(verifier.verify(token)).resolves.toEqual(alice);
    expect(lookups).toBe(1);
    // Past its exp the token is verified again, and refused as expired.
    now = exp * 1000 + 1;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('does not remember a refused token: a forged one is refused every time', async () => {
    const verifier = new JwtAccessTokenVerifier(createLocalJWKSet({ keys: [jwk] }));
    const token = await sign({ mt: 'GROUP', sid: 's-1' }, Math.floor(Date.now() / 1000) + 600);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const wrongType = await sign({ mt: 'NOT_A_TYPE', sid: 's-1' }, Math.floor(Date.now() / 1000) + 600);
    await expect(verifier.verify(wrongType)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(verifier.verify(wrongType)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
