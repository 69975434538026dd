import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { MeController } from './me.controller.js';

/** The signed-in member's routes: profile, contracts, persons, home, announcements. */
@Module({ imports: [AuthModule, ClientsModule], controllers: [MeController] })
export class MeModule {}
