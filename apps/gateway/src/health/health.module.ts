import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { SystemHealthController } from './system-health.controller.js';

/** `GET /health`: the gateway and the readiness of every service (each service's own /health/* come from PlatformModule). */
@Module({ imports: [ClientsModule], controllers: [SystemHealthController] })
export class HealthModule {}
