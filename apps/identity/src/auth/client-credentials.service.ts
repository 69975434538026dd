import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_TOKEN } from '@darman/access';
import { AppError, APP_CONFIG } from '@darman/platform';
import type { IdentityConfig } from '../config/identity.config.js';
import { SigningKeysService } from './signing-keys.service.js';

interface ServiceClientEntry {
  secretSha256: Buffer;
  scopes: string[];
}

export interface ServiceTokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

const invalidClient = () =>
  new AppError('INVALID_CLIENT', 401, { en: 'Unknown client or wrong secret.', fa: 'شناسه یا رمز سامانه نادرست است.' });
const invalidScope = () =>
  new AppError('INVALID_SCOPE', 400, { en: 'The client may not have the scope asked for.', fa: 'این دسترسی برای سامانه مجاز نیست.' });

/**
 * The OAuth 2.0 client-credentials grant for insurer systems: a configured
 * client (SERVICE_CLIENTS) proves its secret and gets a short-lived service
 * token for the scopes it asks for among those it was granted.
 */
@Injectable()
export class ClientCredentialsService {
  private readonly clients = new Map<string, ServiceClientEntry>();

  constructor(
    @Inject(APP_CONFIG) config: IdentityConfig,
    private readonly keys: SigningKeysService,
  ) {
    for (const item of config.SERVICE_CLIENTS?.split(',') ?? []) {
      // Scopes contain colons themselves: only the first two separate the parts.
      const [id, hash, ...scopes] = item.split(':');
      this.clients.set(id!, { secretSha256: Buffer.from(hash!, 'hex'), scopes: scopes.join(':').split('+') });
    }
  }

  async issue(clientId: string, clientSecret: string, scope?: string): Promise<ServiceTokenAnswer> {
    const client = this.clients.get(clientId);
    const presented = createHash('sha256').update(clientSecret).digest();
    // Compared in constant time, and hashed even for an unknown client, so timing does not tell which ids exist.
    const known = client ?? { secretSha256: Buffer.alloc(32), scopes: [] };
    if (!timingSafeEqual(presented, known.secretSha256) || !client) throw invalidClient();
    const asked = scope ? scope.split(' ').filter(Boolean) : client.scopes;
    if (asked.some((s) => !client.scopes.includes(s))) throw invalidScope();
    return {
      access_token: await this.keys.signServiceToken(clientId, asked),
      token_type: 'Bearer',
      expires_in: SERVICE_TOKEN.lifetimeSeconds,
      scope: asked.join(' '),
    };
  }
}
