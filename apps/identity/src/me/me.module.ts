import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { RegistryModule } from '../registry/registry.module.js';
import { MeController } from './me.controller.js';
import { MeService } from './me.service.js';

/** The signed-in member's profile, contracts, persons, home page and announcements. */
@Module({
  imports: [AccountsModule, AuthModule, RegistryModule],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}
