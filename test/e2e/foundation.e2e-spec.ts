// Black-box: the five built services on real Kafka and PostgreSQL, driven only
// through HTTP and Kafka as operations and insurer systems would.
import net from 'node:net';
import path from 'node:path';
import { DlqHeaders, Topics } from '@darman/contracts';
import { createKafka } from '@darman/messaging';
import {
  createServiceDatabase,
  dropDatabase,
  eventually,
  readWholeTopic,
  REPO_ROOT,
  TcpProxy,
  testBrokers,
  uniqueToken,
} from '@darman/testing';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import {
  ensureKafka,
  provisionTopics,
  seed,
  startServices,
  stopKafka,
  stopServices,
  waitReady,
  type Ports,
} from '../../scripts/lib/stack.mjs';

/** Shorter than the minute of production, so that the slow-body test takes seconds. */
const REQUEST_TIMEOUT_MS = 3_000;
const ports: Ports = { gateway: 4100, identity: 4101, claims: 4102, referrals: 4103, providers: 4104 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const base = (svc: keyof Ports) => `http://127.0.0.1:${ports[svc]}`;

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(4000) })).status;
  } catch {
    return 0;
  }
}

/** Minimal Prometheus text-format check: every sample line is `name{labels} value`, every family typed. */
function assertPrometheusText(text: string): void {
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      typed.add(type[1]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)( \d+)?$/.exec(line);
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    const family = sample[1]!.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!typed.has(sample[1]!) && !typed.has(family) && !typed.has(`${family}_total`)) throw new Error(`sample without TYPE: ${line}`);
  }
}

describe('Darman stack (built services, real Kafka and PostgreSQL)', () => {
  const brokers = testBrokers();
  const prefix = `e2e${uniqueToken()}.`;
  const databaseUrls: Record<string, string> = {};
  const direct: Record<string, string> = {};
  let proxy: TcpProxy;
  let children: Record<string, ChildProcess> | undefined;

  beforeAll(async () => {
    const pgServer = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
    proxy = new TcpProxy(pgServer.hostname, Number(pgServer.port || 5432));
    const proxyPort = await proxy.start();
    for (const svc of SERVICES) {
      direct[svc] = await createServiceDatabase(svc, `e2e_${svc}_${uniqueToken()}`);
      const viaProxy = new URL(direct[svc]!);
      viaProxy.port = String(proxyPort);
      databaseUrls[svc] = viaProxy.toString();
    }
    provisionTopics(brokers, prefix);
    children = startServices({
      ports,
      brokers,
      topicPrefix: prefix,
      databaseUrls,
      logDir: path.join(REPO_ROOT, '.data', 'e2e-logs'),
      extraEnv: { NODE_ENV: 'test', LOG_LEVEL: 'info', REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    });
    await waitReady(ports, undefined, 120_000);
  });

  afterAll(async () => {
    if (children) await stopServices(children);
    await proxy?.stop();
    for (const url of Object.values(direct)) await dropDatabase(url);
  });

  /** A consumer counter of a service, from its /metrics (darman_consumer_messages_total by result, unless named). */
  async function consumerCounter(
    svc: keyof Ports,
    topic: string,
    value: string,
    metric = 'darman_consumer_messages_total',
    label = 'result',
  ) {
    const text = await (await fetch(`${base(svc)}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(`${metric}{`) && line.includes(`topic="${topic}"`) && line.includes(`${label}="${value}"`))
      .reduce((n, line) => n + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }

  it('answers ready on every service and lists them all up on the gateway /health', async () => {
    for (const svc of Object.keys(ports) as (keyof Ports)[]) expect(await status(`${base(svc)}/health/ready`)).toBe(200);
    const health = (await (await fetch(`${base('gateway')}/health`)).json()) as {
      status: string;
      services: Record<string, { status: string }>;
    };
    expect(health.status).toBe('up');
    for (const svc of SERVICES) expect(health.services[svc].status).toBe('up');
  });

  it('serves valid Prometheus text on every /metrics, with consumer metrics on consumers', async () => {
    for (const svc of Object.keys(ports) as (keyof Ports)[]) {
      const res = await fetch(`${base(svc)}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      assertPrometheusText(text);
      expect(text).toContain('process_resident_memory_bytes');
      expect(text).toContain('http_request_duration_seconds_bucket');
      if (svc !== 'gateway') expect(text).toContain('darman_consumer_lag');
    }
  });

  it('serves Swagger and the API error shape, in Persian when asked', async () => {
    expect(await status(`${base('gateway')}/docs`)).toBe(200);
    const doc = (await (await fetch(`${base('gateway')}/docs-json`)).json()) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);
    const res = await fetch(`${base('gateway')}/api/v1/no-such-route`, { headers: { 'accept-language': 'fa' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'یافت نشد.', details: [] });
    // Swagger UI's own assets, next to its page.
    expect(await status(`${base('gateway')}/docs/swagger-ui-bundle.js`)).toBe(200);
    // The request metric is labelled by route pattern: a request no route matched is `unmatched`, never its URL.
    const metrics = await (await fetch(`${base('gateway')}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched",status_code="404"\}/);
    expect(metrics).not.toContain('no-such-route');
  });

  it('answers 408 in the API shape and closes the socket when a body drips in slower than REQUEST_TIMEOUT_MS', async () => {
    // One byte every half second of a 1,000-byte body: before, such a socket stayed open for minutes.
    const started = Date.now();
    const socket = net.connect(ports.gateway, '127.0.0.1');
    socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: darman\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
    const drip = setInterval(() => socket.write(' '), 500);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise((resolve) => socket.on('close', resolve));
    clearInterval(drip);
    const heldMs = Date.now() - started;
    expect(heldMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS);
    expect(heldMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      statusCode: 408,
      code: 'REQUEST_TIMEOUT',
      message: 'The request did not arrive in time.',
      details: [],
    });
  });

  it('answers bodies it cannot read in the API error shape: malformed JSON, too large, unsupported type', async () => {
    const post = async (body: string, contentType: string) => {
      const res = await fetch(`${base('gateway')}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': contentType }, body });
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        body: (await res.json()) as { code: string; details: unknown[] },
      };
    };
    const error = (statusCode: number, code: string, message: string) => ({
      status: statusCode,
      type: expect.stringContaining('application/json'),
      body: { statusCode, code, message, details: [] },
    });
    expect(await post('{"nationalCode":', 'application/json')).toEqual(error(400, 'MALFORMED_JSON', 'The request is not valid.'));
    expect(await post(JSON.stringify({ nationalCode: 'x'.repeat(200_000) }), 'application/json')).toEqual(
      error(413, 'PAYLOAD_TOO_LARGE', 'The request is too large.'),
    );
    expect(await post('<login/>', 'application/xml')).toEqual(error(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type.'));
    // An empty JSON body is no body: the route's validation answers it, field by field.
    const empty = await post('', 'application/json');
    expect(empty).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(empty.body.details.length).toBeGreaterThan(0);
  });

  it('stores the demo seed published as insurer events, and sends a malformed message to the DLQ', async () => {
    seed(brokers, prefix);
    const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e' });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${prefix}${Topics.insurerMembers}`, messages: [{ key: 'x', value: 'not json at all' }] });
    await producer.disconnect();
    const dlq = await eventually(async () => {
      const messages = await readWholeTopic(kafka, `${prefix}${Topics.insurerMembers}.dlq`);
      return messages.length > 0 ? messages : undefined;
    });
    expect(dlq[0]!.headers[DlqHeaders.errorCode]).toBe('MALFORMED_JSON');
    const count = async (svc: string, type: string) => {
      const client = new pg.Client({ connectionString: direct[svc] });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM inbox_events WHERE event_type = $1', [type]);
        return rows[0].n as number;
      } finally {
        await client.end();
      }
    };
    await eventually(async () => ((await count('identity', 'MemberEnrolled')) === 3 ? true : undefined), 30_000, 'members stored');
    await eventually(async () => ((await count('claims', 'ClaimRegistered')) === 2 ? true : undefined), 30_000, 'claims stored');
    await eventually(async () => ((await count('providers', 'ProviderUpserted')) === 2 ? true : undefined), 30_000, 'providers stored');
    // A second seed is a no-op for consumers: the event ids are the same. The claims consumer's own counter shows
    // it has read the repeated claim events and dropped them as duplicates; only then is the count meaningful.
    const duplicatesBefore = await consumerCounter('claims', Topics.insurerClaims, 'duplicate');
    const appliedBefore = await consumerCounter('claims', Topics.insurerClaims, 'applied');
    seed(brokers, prefix);
    await eventually(
      async () => ((await consumerCounter('claims', Topics.insurerClaims, 'duplicate')) >= duplicatesBefore + 2 ? true : undefined),
      30_000,
      'the re-seeded claims read as duplicates',
    );
    expect(await count('claims', 'ClaimRegistered')).toBe(2);
    expect(await consumerCounter('claims', Topics.insurerClaims, 'applied')).toBe(appliedBefore);
  });

  it('turns not-ready while PostgreSQL is away, loses no event published meanwhile, and recovers by itself', async () => {
    await proxy.cut();
    await eventually(async () => ((await status(`${base('claims')}/health/ready`)) === 503 ? true : undefined), 20_000, 'claims not ready');
    const gateway = await fetch(`${base('gateway')}/health`);
    expect(gateway.status).toBe(503);
    expect(await status(`${base('claims')}/health/live`)).toBe(200);

    const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e' });
    const { DEMO_EVENTS } = await import('../../scripts/seed/demo-data.js');
    const extra = DEMO_EVENTS.find((e) => e.event.eventType === 'ClaimRegistered')!;
    const producer = kafka.producer();
    await producer.connect();
    const eventId = '7d9f1a52-64c4-4b8e-9a51-0f1e2d3c4b5a';
    await producer.send({
      topic: `${prefix}${Topics.insurerClaims}`,
      messages: [
        {
          key: '99990001',
          value: JSON.stringify({
            ...extra.event,
            eventVersion: 1,
            occurredAt: '2019-09-10T10:00:00+04:30',
            eventId,
            subject: '99990001',
            data: { ...extra.event.data, claimId: '99990001' },
          }),
        },
      ],
    });
    await producer.disconnect();
    // The claims consumer has the event and fails on the database (its own counter), while PostgreSQL is away.
    await eventually(
      async () =>
        (await consumerCounter('claims', Topics.insurerClaims, 'transient', 'darman_consumer_failures_total', 'kind')) > 0
          ? true
          : undefined,
      30_000,
      'a failed attempt to apply the event',
    );

    await proxy.restore();
    for (const svc of SERVICES) {
      await eventually(async () => ((await status(`${base(svc)}/health/ready`)) === 200 ? true : undefined), 60_000, `${svc} ready again`);
    }
    const client = new pg.Client({ connectionString: direct.claims });
    await client.connect();
    const row = await eventually(
      async () => {
        const { rows } = await client.query('SELECT subject FROM inbox_events WHERE event_id = $1', [eventId]);
        return rows[0];
      },
      30_000,
      'event published during the outage stored',
    );
    await client.end();
    expect(row.subject).toBe('99990001');
    for (const child of Object.values(children!)) expect(child.exitCode).toBeNull();
  });

  it('turns not-ready while Kafka is away and recovers by itself when it returns', async () => {
    stopKafka(brokers);
    try {
      for (const svc of SERVICES) {
        await eventually(async () => ((await status(`${base(svc)}/health/ready`)) === 503 ? true : undefined), 30_000, `${svc} not ready`);
      }
      expect(await status(`${base('claims')}/health/live`)).toBe(200);
    } finally {
      await ensureKafka(brokers);
    }
    for (const svc of SERVICES) {
      await eventually(async () => ((await status(`${base(svc)}/health/ready`)) === 200 ? true : undefined), 90_000, `${svc} ready again`);
    }
    for (const child of Object.values(children!)) expect(child.exitCode).toBeNull();
  });

  it('shuts every service down gracefully on SIGTERM: each exits 0', async () => {
    const codes = await stopServices(children!);
    children = undefined;
    expect(codes).toEqual({ gateway: 0, identity: 0, claims: 0, referrals: 0, providers: 0 });
  });
});
