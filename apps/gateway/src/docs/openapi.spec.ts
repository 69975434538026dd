import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createConfig, lintFromString } from '@redocly/openapi-core';

// CommonJS packages of the gateway (@nestjs/throttler, nestjs-pino) require ES modules
// (@nestjs/common, @nestjs/core, jose). Node 20 loads those natively; jest's module loader cannot
// before Node 24.9, so its `require` gets the very module instances the ES graph imports.
for (const name of ['@nestjs/common', '@nestjs/core', 'jose']) {
  const esm = await import(name);
  jest.mock(name, () => esm);
}
// Swagger UI's assets are served by @fastify/static, which requires an ES module (content-disposition) the same
// way: this document's tests never serve them, so the plugin is a no-op here (the e2e tier fetches them).
jest.unstable_mockModule('@fastify/static', () => ({ default: async () => {} }));
const { NestFactory } = await import('@nestjs/core');
const { configureHttp, createHttpAdapter, loadConfig } = await import('@darman/platform');
const { AppModule } = await import('../app.module.js');
const { GatewayConfig } = await import('../config/gateway.config.js');
const { configureGateway } = await import('./openapi.js');
const { EVENT_DOC_FILES, EventDocs } = await import('./event-docs.js');

type Operation = { summary?: string; security?: Record<string, string[]>[] };

/** The gateway app as main.ts builds it, without listening; no service is called. */
describe("the gateway's OpenAPI document", () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const config = loadConfig(GatewayConfig, { PORT: '3000', NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const fastifyApp = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createHttpAdapter(), { logger: false });
    configureHttp(fastifyApp);
    app = fastifyApp;
    document = configureGateway(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  const operations = (): [string, string, Operation][] =>
    Object.entries(document.paths).flatMap(([route, item]) =>
      Object.entries(item as Record<string, Operation>).map(
        ([method, operation]) => [route, method, operation] as [string, string, Operation],
      ),
    );

  it("passes Redocly's recommended rules without errors", async () => {
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'gateway-openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  });

  it('documents member routes as needing a bearer token and the others as public', () => {
    const memberRoute = /^\/api\/v1\/(me|home|announcements|claims|referrals(?!\/verify))(\/|$)/;
    const wrong = operations()
      .filter(([route, , operation]) => JSON.stringify(operation.security) !== (memberRoute.test(route) ? '[{"bearer":[]}]' : '[]'))
      .map(([route, method, operation]) => `${method.toUpperCase()} ${route}: ${JSON.stringify(operation.security)}`);
    expect(wrong).toEqual([]);
    expect(operations().length).toBeGreaterThan(20);
  });

  it('serves the event contract outside the /api/v1 prefix, as committed', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/docs/events', '/docs/events.json', '/health', '/api/v1/auth/login']),
    );
    const docs = app.get(EventDocs);
    const root = process.cwd();
    expect(docs.yaml).toBe(readFileSync(path.join(root, EVENT_DOC_FILES.yaml), 'utf8'));
    expect(JSON.parse(docs.json)).toMatchObject({ asyncapi: expect.stringMatching(/^3\./) });
  });
});
