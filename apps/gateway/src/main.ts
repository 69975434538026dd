import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway.config.js';
import { configureGateway } from './docs/openapi.js';
import { restrictOpsRoutes } from './health/ops-access.js';

await bootstrapService({
  service: 'gateway',
  configClass: GatewayConfig,
  module: (config) => AppModule.register(config),
  configure: (app, config) => {
    restrictOpsRoutes(app, config.OPS_NETWORKS);
    configureGateway(app);
  },
});
