import { Module } from '@nestjs/common';
import { AccountsRepository } from './accounts.repository.js';

/** Portal accounts, shared by the auth and member features. */
@Module({ providers: [AccountsRepository], exports: [AccountsRepository] })
export class AccountsModule {}
