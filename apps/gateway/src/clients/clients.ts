import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@darman/platform';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ServiceClient } from './service-client.js';

/** Typed clients of the internal services; feature routes add their calls here. */
@Injectable()
export class IdentityClient extends ServiceClient<'identity'> {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super('identity', config.IDENTITY_URL, config.UPSTREAM_TIMEOUT_MS);
  }
}

@Injectable()
export class ClaimsClient extends ServiceClient<'claims'> {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super('claims', config.CLAIMS_URL, config.UPSTREAM_TIMEOUT_MS);
  }
}

@Injectable()
export class ReferralsClient extends ServiceClient<'referrals'> {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super('referrals', config.REFERRALS_URL, config.UPSTREAM_TIMEOUT_MS);
  }
}

@Injectable()
export class ProvidersClient extends ServiceClient<'providers'> {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super('providers', config.PROVIDERS_URL, config.UPSTREAM_TIMEOUT_MS);
  }
}

export const SERVICE_CLIENTS = [IdentityClient, ClaimsClient, ReferralsClient, ProvidersClient];
