import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { ClaimsController } from './claims.controller.js';

/** A member's claims, answered by the claims service. */
@Module({ imports: [AuthModule, ClientsModule], controllers: [ClaimsController] })
export class ClaimsModule {}
