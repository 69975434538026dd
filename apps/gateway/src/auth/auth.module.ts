import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ClientsModule } from '../clients/clients.module.js';
import { AuthController } from './auth.controller.js';
import { JwtStrategy, MemberAuthGuard } from './jwt.strategy.js';

/** The public auth routes, and the verification of member tokens (MemberAuthGuard) that member features import. */
@Module({
  imports: [PassportModule, ClientsModule],
  controllers: [AuthController],
  providers: [JwtStrategy, MemberAuthGuard],
  exports: [PassportModule, MemberAuthGuard],
})
export class AuthModule {}
