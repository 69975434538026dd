import { KafkaBatchServer } from '@darman/messaging';
import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { ReferralsConfig } from './config/referrals.config.js';

await bootstrapService({
  service: 'referrals',
  configClass: ReferralsConfig,
  module: (config) => AppModule.register(config),
  consumers: KafkaBatchServer,
});
