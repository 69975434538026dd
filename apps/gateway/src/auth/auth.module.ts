import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { AuthController } from './auth.controller.js';
import { gatewayTokenVerifier, MemberAuthGuard } from './member-auth.guard.js';

/** The public auth routes, and the verification of member tokens (MemberAuthGuard) that member features import. */
@Module({
  imports: [ClientsModule],
  controllers: [AuthController],
  providers: [gatewayTokenVerifier, MemberAuthGuard],
  exports: [gatewayTokenVerifier, MemberAuthGuard],
})
export class AuthModule {}
