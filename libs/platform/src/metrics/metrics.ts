import { Controller, Get, Header } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';

let defaultsStarted = false;

/** Process metrics (memory, CPU, event loop, GC) from prom-client, once per process. */
export function startDefaultMetrics(service: string): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  register.setDefaultLabels({ service });
  collectDefaultMetrics({ register });
}

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by method, route and status',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [register],
});

/**
 * Times every request from the app's Fastify instance (the time since Fastify received it, when the answer is
 * sent). The route label is the matched route pattern (`/api/v1/claims/:claimId`), never the raw URL, so ids
 * and query strings cannot blow up the label set; a request no route matched is `unmatched`.
 */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = (!request.is404 && request.routeOptions.url) || 'unmatched';
    httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}

@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  async metrics(): Promise<string> {
    return register.metrics();
  }
}
