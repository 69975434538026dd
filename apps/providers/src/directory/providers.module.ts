import { Module } from '@nestjs/common';
import { ProvidersConsumer } from './providers.consumer.js';
import { ProvidersController } from './providers.controller.js';
import { ProvidersDirectory } from './providers-directory.js';
import { ProvidersRepository } from './providers.repository.js';
import { ProvidersService } from './providers.service.js';

/** The contracted medical centre directory: projected from `insurer.providers.v1`, searched by members. */
@Module({
  controllers: [ProvidersController, ProvidersConsumer],
  providers: [ProvidersRepository, ProvidersDirectory, ProvidersService],
  exports: [ProvidersDirectory],
})
export class ProvidersModule {}
