import { RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { bootstrapService } from '@darman/platform';
import { AppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway.config.js';

await bootstrapService({
  service: 'gateway',
  configClass: GatewayConfig,
  module: (config) => AppModule.register(config),
  configure: (app) => {
    app.setGlobalPrefix('api/v1', {
      exclude: [
        { path: 'health', method: RequestMethod.GET },
        { path: 'health/live', method: RequestMethod.GET },
        { path: 'health/ready', method: RequestMethod.GET },
        { path: 'metrics', method: RequestMethod.GET },
      ],
    });
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Darman member portal API')
        .setDescription('Public API of the Darman gateway. Errors: { statusCode, code, message, details }.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  },
});
