import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway.config.js';
import { configureGateway } from './docs/openapi.js';

await bootstrapService({
  service: 'gateway',
  configClass: GatewayConfig,
  module: (config) => AppModule.register(config),
  configure: (app) => {
    configureGateway(app);
  },
});
