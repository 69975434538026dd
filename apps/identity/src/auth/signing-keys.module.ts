import { Module } from '@nestjs/common';
import { SigningKeysService } from './signing-keys.service.js';

/** The access-token signing keys: they sign in AuthModule and verify for every guarded route (AccessModule). */
@Module({ providers: [SigningKeysService], exports: [SigningKeysService] })
export class SigningKeysModule {}
