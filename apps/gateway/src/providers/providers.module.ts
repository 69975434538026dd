import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { ProvidersController } from './providers.controller.js';

/** The public search of contracted providers, answered by the providers service. */
@Module({ imports: [ClientsModule], controllers: [ProvidersController] })
export class ProvidersModule {}
