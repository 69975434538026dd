import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ACCESS_TOKEN, JwtAccessTokenVerifier, SERVICE_TOKEN, type AccessTokenVerifier, type Caller } from '@darman/access';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, SignJWT, type JWK } from 'jose';
import { PrismaService } from '../prisma/prisma.service.js';

/** Same number in every replica: only one creates the first key. */
const KEY_CREATION_LOCK = 0x0da401;

interface ActiveKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importPKCS8>>;
}

/**
 * The RS256 keys that sign access tokens. They live in the identity database,
 * so every replica signs with the same key and serves the same `/auth/jwks`;
 * the first replica to start creates the key (under an advisory lock).
 * Older keys stay published so tokens they signed verify until they expire.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit, AccessTokenVerifier {
  private active?: ActiveKey;
  private verifier?: JwtAccessTokenVerifier;
  private publicKeys: JWK[] = [];

  constructor(private readonly db: PrismaService) {}

  async onModuleInit(): Promise<void> {
    if ((await this.db.signingKey.count()) === 0) {
      // Generated before the transaction: an RSA key pair can take seconds on a busy machine, longer than the
      // transaction's 5 s, and the service then failed to start. A replica that loses the race drops its pair.
      const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN.algorithm, { modulusLength: 2048, extractable: true });
      const jwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(jwk);
      const privateKeyPem = await exportPKCS8(privateKey);
      await this.db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', KEY_CREATION_LOCK);
        if ((await tx.signingKey.count()) > 0) return;
        await tx.signingKey.create({ data: { kid, privateKeyPem, publicJwk: { ...jwk, kid, alg: ACCESS_TOKEN.algorithm, use: 'sig' } } });
      });
    }
    await this.reload();
  }

  async reload(): Promise<void> {
    const keys = await this.db.signingKey.findMany({ orderBy: [{ createdAt: 'desc' }, { kid: 'asc' }] });
    const newest = keys[0]!;
    this.active = { kid: newest.kid, privateKey: await importPKCS8(newest.privateKeyPem, ACCESS_TOKEN.algorithm) };
    this.publicKeys = keys.map((k) => k.publicJwk as JWK);
    this.verifier = new JwtAccessTokenVerifier(createLocalJWKSet({ keys: this.publicKeys }));
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.publicKeys };
  }

  async sign(caller: Caller, lifetimeSeconds: number): Promise<string> {
    const key = this.active!;
    return new SignJWT({ mt: caller.membershipType, sid: caller.sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN.algorithm, kid: key.kid, typ: 'JWT' })
      .setSubject(caller.nationalCode)
      .setIssuer(ACCESS_TOKEN.issuer)
      .setAudience(ACCESS_TOKEN.audience)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /** A service-client token (libs/access SERVICE_TOKEN): `sub` = `client:<id>`, the granted scopes space-separated. */
  async signServiceToken(clientId: string, scopes: string[]): Promise<string> {
    const key = this.active!;
    return new SignJWT({ scope: scopes.join(' ') })
      .setProtectedHeader({ alg: SERVICE_TOKEN.algorithm, kid: key.kid, typ: 'JWT' })
      .setSubject(`client:${clientId}`)
      .setIssuer(SERVICE_TOKEN.issuer)
      .setAudience(SERVICE_TOKEN.audience)
      .setIssuedAt()
      .setExpirationTime(`${SERVICE_TOKEN.lifetimeSeconds}s`)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /** Identity verifies access tokens with its own keys (no round trip to itself). */
  verify(token: string): Promise<Caller> {
    return this.verifier!.verify(token);
  }
}
