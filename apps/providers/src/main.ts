import { KafkaBatchServer } from '@darman/messaging';
import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { ProvidersConfig } from './config/providers.config.js';

await bootstrapService({
  service: 'providers',
  configClass: ProvidersConfig,
  module: (config) => AppModule.register(config),
  consumers: KafkaBatchServer,
});
