import { RequestMethod, type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const API_PREFIX = 'api/v1';

/** Operations and documents outside the /api/v1 prefix. */
const UNPREFIXED_GETS = ['health', 'health/live', 'health/ready', 'metrics', 'docs/events', 'docs/events.json'];

/**
 * The routes PlatformModule gives every service carry no OpenAPI decorators
 * (the library does not depend on Swagger): the gateway's document names them
 * here. Public, like the rest of operations.
 */
const PLATFORM_ROUTES: Record<string, string> = {
  '/health/live': 'Liveness: the gateway process is up',
  '/health/ready': "Readiness of the gateway process itself (GET /health adds every service's)",
  '/metrics': 'Prometheus metrics of the gateway process',
};

function describePlatformRoutes(document: OpenAPIObject): void {
  for (const [route, summary] of Object.entries(PLATFORM_ROUTES)) {
    const operation = document.paths[route]?.get;
    if (!operation) continue;
    operation.summary ||= summary;
    operation.security ??= [];
  }
}

/** The gateway's OpenAPI document, as /docs-json serves it (the app must have its global prefix set: see configureGateway). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Darman member portal API')
      .setDescription(
        'Public API of the Darman gateway. Errors: { statusCode, code, message, details }. ' +
          'The Kafka event contract for insurer systems is at /docs/events (AsyncAPI 3, YAML) and /docs/events.json.',
      )
      .setVersion('1')
      .addServer('/', 'This gateway')
      .addBearerAuth()
      .build(),
  );
  describePlatformRoutes(document);
  return document;
}

/**
 * HTTP setup of the gateway before it listens: the /api/v1 prefix (health,
 * metrics and the documents stay outside it), the OpenAPI document and
 * Swagger UI at /docs (JSON at /docs-json). Returns the document.
 */
export function configureGateway(app: INestApplication): OpenAPIObject {
  // Multipart bodies are not parsed here: the referrals routes relay them as they stream (referrals.controller.ts).
  (
    app.getHttpAdapter().getInstance() as {
      addContentTypeParser: (type: string, parser: (r: unknown, p: unknown, done: (e: null) => void) => void) => void;
    }
  ).addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_GETS.map((path) => ({ path, method: RequestMethod.GET })) });
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return document;
}
