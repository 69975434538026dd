import multipart from '@fastify/multipart';
import { KafkaBatchServer } from '@darman/messaging';
import { bootstrapService } from '@darman/platform';
import { MULTIPART_LIMITS } from './attachments/multipart.js';
import { AppModule } from './app.module.js';
import { ReferralsConfig } from './config/referrals.config.js';

await bootstrapService({
  service: 'referrals',
  configClass: ReferralsConfig,
  module: (config) => AppModule.register(config),
  consumers: KafkaBatchServer,
  // Multipart bodies are read part by part by the routes that take files (attachments/multipart.ts).
  configure: async (app) => {
    await app.register(multipart as never, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });
  },
});
