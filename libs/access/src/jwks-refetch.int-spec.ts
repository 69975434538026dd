// Forged tokens naming unknown key ids, against a real HTTP key set: each is 401, and together they cost identity
// at most one key-set fetch per cooldown, never a 503.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ACCESS_TOKEN, JwtAccessTokenVerifier } from './caller.js';

describe('the member token verifier under tokens with unknown kids', () => {
  let server: http.Server;
  let fetches = 0;
  let url: string;
  let sign: (kid: string) => Promise<string>;

  beforeAll(async () => {
    const real = await generateKeyPair('RS256');
    const forger = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(real.publicKey)), kid: 'real', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/jwks`;
    sign = (kid) =>
      new SignJWT({ mt: 'GROUP', sid: 's' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(ACCESS_TOKEN.issuer)
        .setAudience(ACCESS_TOKEN.audience)
        .setSubject('0499370899')
        .setExpirationTime('5m')
        .sign(forger.privateKey);
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 401 to each of 200 forged tokens and fetches the key set at most twice', async () => {
    const verifier = JwtAccessTokenVerifier.fromJwksUrl(url);
    const answers = await Promise.allSettled(Array.from({ length: 200 }, async (_, i) => verifier.verify(await sign(`forged-${i}`))));
    const codes = answers.map((a) => (a.status === 'rejected' ? (a.reason as { statusCode?: number }).statusCode : 200));
    expect(new Set(codes)).toEqual(new Set([401]));
    // The first fetch loads the set; an unknown kid may trigger one reload, then the cooldown holds.
    expect(fetches).toBeLessThanOrEqual(2);
  });
});
