import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { ACCESS_TOKEN, JwtAccessTokenVerifier } from './caller.js';
import { SERVICE_TOKEN, ServiceTokenVerifier } from './service-client.js';

describe('service-client tokens', () => {
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let keys: ReturnType<typeof createLocalJWKSet>;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
    keys = createLocalJWKSet({ keys: [jwk] });
  });

  const token = (o: { aud?: string; sub?: string; scope?: string | null; exp?: number; extra?: Record<string, unknown> } = {}) =>
    new SignJWT({ ...(o.scope === null ? {} : { scope: o.scope ?? 'referrals.attachments:read' }), ...o.extra })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(SERVICE_TOKEN.issuer)
      .setAudience(o.aud ?? SERVICE_TOKEN.audience)
      .setSubject(o.sub ?? 'client:asmari-core')
      .setExpirationTime(o.exp ?? now + 300)
      .sign(privateKey);

  it('names the client and its scopes', async () => {
    const verifier = new ServiceTokenVerifier(keys);
    await expect(verifier.verify(await token({ scope: 'referrals.attachments:read other:scope' }))).resolves.toEqual({
      clientId: 'asmari-core',
      scopes: ['referrals.attachments:read', 'other:scope'],
    });
  });

  it('refuses a member token, an expired token, a subject that is not a client and a token without scopes (401)', async () => {
    const verifier = new ServiceTokenVerifier(keys);
    for (const bad of [
      await token({ aud: ACCESS_TOKEN.audience }),
      await token({ exp: now - 10 }),
      await token({ sub: '0499370899' }),
      await token({ scope: null }),
      'not-a-token',
    ]) {
      await expect(verifier.verify(bad)).rejects.toMatchObject({ code: 'UNAUTHORIZED', statusCode: 401 });
    }
  });

  it('is refused by the member verifier, so a service token opens no member route', async () => {
    const members = new JwtAccessTokenVerifier(keys);
    await expect(members.verify(await token({ extra: { mt: 'GROUP', sid: 's' } }))).rejects.toMatchObject({ statusCode: 401 });
  });
});
