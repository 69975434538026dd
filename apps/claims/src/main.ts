import { KafkaBatchServer } from '@darman/messaging';
import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { ClaimsConfig } from './config/claims.config.js';

await bootstrapService({
  service: 'claims',
  configClass: ClaimsConfig,
  module: (config) => AppModule.register(config),
  consumers: KafkaBatchServer,
});
