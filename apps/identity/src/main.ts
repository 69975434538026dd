import { KafkaBatchServer } from '@darman/messaging';
import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { IdentityConfig } from './config/identity.config.js';

await bootstrapService({
  service: 'identity',
  configClass: IdentityConfig,
  module: (config) => AppModule.register(config),
  consumers: KafkaBatchServer,
});
