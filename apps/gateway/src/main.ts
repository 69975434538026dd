import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway.config.js';
import { configureGateway } from './docs/openapi.js';
import { restrictOpsRoutes } from './health/ops-access.js';
import { servePortal } from './portal/portal.js';

await bootstrapService({
  service: 'gateway',
  configClass: GatewayConfig,
  module: (config) => AppModule.register(config),
  configure: async (app, config) => {
    restrictOpsRoutes(app, config.OPS_NETWORKS);
    configureGateway(app);
    await servePortal(app, config.PORTAL_DIR);
  },
});
