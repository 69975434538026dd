import { Module } from '@nestjs/common';
import { SERVICE_CLIENTS } from './clients.js';

/** The HTTP clients of the internal services, one instance each for every feature. */
@Module({ providers: SERVICE_CLIENTS, exports: SERVICE_CLIENTS })
export class ClientsModule {}
