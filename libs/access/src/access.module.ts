import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ACCESS_TOKEN_VERIFIER, CallerGuard, JwtAccessTokenVerifier } from './caller.js';
import { MemberRegistry } from './member-registry.js';
import { MemberRegistryProjection } from './member-registry.projection.js';
import { RevokedSessions } from './revoked-sessions.js';
import { SessionRevocationsModule } from './session-revocations.module.js';

export interface AccessModuleOptions {
  /** Identity's key set, for services that verify the relayed token against it; identity passes its own verifier instead. */
  jwksUrl?: string;
  /** A provider of ACCESS_TOKEN_VERIFIER (identity verifies with its own keys). */
  verifier?: Provider;
  /** Modules the verifier provider needs. */
  imports?: NonNullable<DynamicModule['imports']>;
}

/**
 * Who the caller is (CallerGuard and its token verifier) and who they may see
 * (the service's own copy of the member registry: MemberRegistry reads it,
 * MemberRegistryProjection writes it from `insurer.members.v1`). Tokens of an
 * ended session are refused from `portal.sessions.v1` (SessionRevocationsModule).
 */
@Global()
@Module({})
export class AccessModule {
  static forRoot(options: AccessModuleOptions): DynamicModule {
    const verifier: Provider = options.verifier ?? {
      provide: ACCESS_TOKEN_VERIFIER,
      inject: [RevokedSessions],
      useFactory: (revoked: RevokedSessions) => JwtAccessTokenVerifier.fromJwksUrl(options.jwksUrl!, revoked),
    };
    return {
      module: AccessModule,
      imports: [SessionRevocationsModule.forRoot(), ...(options.imports ?? [])],
      providers: [verifier, CallerGuard, MemberRegistry, MemberRegistryProjection],
      exports: [ACCESS_TOKEN_VERIFIER, CallerGuard, MemberRegistry, MemberRegistryProjection],
    };
  }
}
