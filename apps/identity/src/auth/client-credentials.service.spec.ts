import { createHash } from 'node:crypto';
import type { IdentityConfig } from '../config/identity.config.js';
import { ClientCredentialsService } from './client-credentials.service.js';
import type { SigningKeysService } from './signing-keys.service.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('the client-credentials grant', () => {
  const signed: { clientId: string; scopes: string[] }[] = [];
  const keys = {
    signServiceToken: async (clientId: string, scopes: string[]) => {
      signed.push({ clientId, scopes });
      return `token-for-${clientId}`;
    },
  } as unknown as SigningKeysService;
  const service = new ClientCredentialsService(
    {
      SERVICE_CLIENTS: `asmari-core:${sha('s3cret-asmari')}:referrals.attachments:read+claims:read,other:${sha('x')}:claims:read`,
    } as IdentityConfig,
    keys,
  );

  it('gives a configured client a token of the scopes it was granted (scopes may contain colons)', async () => {
    await expect(service.issue('asmari-core', 's3cret-asmari')).resolves.toEqual({
      access_token: 'token-for-asmari-core',
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'referrals.attachments:read claims:read',
    });
    await expect(service.issue('asmari-core', 's3cret-asmari', 'claims:read')).resolves.toMatchObject({ scope: 'claims:read' });
    expect(signed.at(-1)).toEqual({ clientId: 'asmari-core', scopes: ['claims:read'] });
  });

  it('refuses a wrong secret, an unknown client and a scope not granted', async () => {
    await expect(service.issue('asmari-core', 'guess')).rejects.toMatchObject({ code: 'INVALID_CLIENT', statusCode: 401 });
    await expect(service.issue('nobody', 's3cret-asmari')).rejects.toMatchObject({ code: 'INVALID_CLIENT', statusCode: 401 });
    await expect(service.issue('other', 'x', 'referrals.attachments:read')).rejects.toMatchObject({
      code: 'INVALID_SCOPE',
      statusCode: 400,
    });
  });

  it('has no clients when none are configured', async () => {
    const none = new ClientCredentialsService({} as IdentityConfig, keys);
    await expect(none.issue('asmari-core', 's3cret-asmari')).rejects.toMatchObject({ code: 'INVALID_CLIENT' });
  });
});
