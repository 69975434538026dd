import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventBatchContext } from '@darman/messaging';
import { ProvidersDirectory, type ProviderEvent } from './providers-directory.js';

/** The providers service's Kafka entry point: `insurer.providers.v1` into the directory. */
@Controller()
export class ProvidersConsumer {
  constructor(private readonly directory: ProvidersDirectory) {}

  @EventPattern(['ProviderUpserted', 'ProviderRemoved'])
  async providers(@Payload() events: ProviderEvent[], @Ctx() context: EventBatchContext): Promise<void> {
    await this.directory.project(
      context.tx,
      events.map((e) => e.subject),
    );
  }
}
