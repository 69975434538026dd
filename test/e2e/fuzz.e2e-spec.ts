// Black-box fuzzing with a fixed seed and a bounded count (test/fuzz; `npm run fuzz` runs the same at a larger
// count): every operation of the gateway's OpenAPI document with schema-derived and mutated requests, with and
// without a member token, then random bytes and mutated valid events on every insurer topic the services consume.
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createKafka, TopicNamer } from '@darman/messaging';
import { createServiceDatabase, dropDatabase, REPO_ROOT, testBrokers, uniqueToken } from '@darman/testing';
import { fuzzApi, shapeProblem, type ApiFuzzReport } from '../fuzz/api-fuzzer.js';
import { fuzzConsumers, type ConsumerFuzzReport } from '../fuzz/consumer-fuzzer.js';
import { CONSUMED_TOPICS } from '../fuzz/valid-events.js';
import { ensureDemoAccount, loginDemo } from '../../scripts/lib/demo-account.mjs';
import { provisionTopics, seed, startServices, stopServices, waitReady, type Ports } from '../../scripts/lib/stack.mjs';

const ports: Ports = { gateway: 4600, identity: 4601, claims: 4602, referrals: 4603, providers: 4604 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
const ORIGIN = `http://127.0.0.1:${ports.gateway}`;
const API = `${ORIGIN}/api/v1`;
const CAPTCHA = 'e2e-fuzz';
const SEED = 20_260_214;
const REQUESTS = 2_000;
const MESSAGES = 320;

describe('fuzzing the API and the consumers (fixed seed)', () => {
  const brokers = testBrokers();
  const prefix = `e2efz${uniqueToken()}.`;
  const namer = new TopicNamer(prefix);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e-fuzz' });
  const databaseUrls: Record<string, string> = {};
  let children: Record<string, ChildProcess>;
  let accessToken: string;

  beforeAll(async () => {
    for (const svc of SERVICES) databaseUrls[svc] = await createServiceDatabase(svc, `e2e_fz_${svc}_${uniqueToken()}`);
    provisionTopics(brokers, prefix);
    children = startServices({
      ports,
      brokers,
      topicPrefix: prefix,
      databaseUrls,
      logDir: path.join(REPO_ROOT, '.data', 'e2e-fuzz-logs'),
      extraEnv: {
        NODE_ENV: 'test',
        CAPTCHA_TEST_ANSWER: CAPTCHA,
        RATE_LIMIT_PER_MINUTE: '10000000',
        AUTH_RATE_LIMIT_PER_MINUTE: '10000000',
      },
    });
    await waitReady(ports, undefined, 120_000);
    seed(brokers, prefix);
    await ensureDemoAccount({ api: API, brokers, topicPrefix: prefix, captchaAnswer: CAPTCHA, timeoutMs: 60_000 });
    accessToken = (await loginDemo(API, CAPTCHA))!.accessToken;
  });

  afterAll(async () => {
    if (children) await stopServices(children);
    for (const url of Object.values(databaseUrls)) await dropDatabase(url);
  });

  const failuresOf = (report: ApiFuzzReport) =>
    report.failures.map((f) => `${f.kind} ${f.method} ${f.target} (${f.mutation}) → ${f.status}: ${f.problem} ${f.responseExcerpt}`);

  it('answers every operation of the OpenAPI document, mutated or not, with no 5xx and every error in the API.md shape', async () => {
    const report = await fuzzApi({ origin: ORIGIN, accessToken, seed: SEED, requests: REQUESTS, concurrency: 6 });
    expect(report.requests).toBeGreaterThanOrEqual(REQUESTS);
    expect(report.operations).toBeGreaterThanOrEqual(30);
    expect(Object.keys(report.perOperation)).toHaveLength(report.operations);
    expect(failuresOf(report)).toEqual([]);
    expect([report.serverErrors, report.shapeViolations, report.noAnswer]).toEqual([0, 0, 0]);
    // The fuzz reaches past the validation: some answers succeed, some are refused as unauthenticated.
    expect(report.statuses['200']).toBeGreaterThan(0);
    expect(report.statuses['401']).toBeGreaterThan(0);
  });

  it('answers a multipart body that ends early or names another boundary with 400, not 500', async () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="prescription"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG',
    );
    for (const contentType of ['multipart/form-data; boundary=b', 'multipart/form-data; boundary=other']) {
      const response = await fetch(`${API}/referrals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': contentType },
        body,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([contentType, response.status, shapeProblem(response.status, response.headers.get('content-type') ?? '', bytes)]).toEqual([
        contentType,
        400,
        undefined,
      ]);
    }
  });

  it('answers a path parameter that does not decode or is too long in the API.md shape', async () => {
    for (const [route, status] of [
      ['/referrals/%ED%A0%80', 400],
      [`/providers/${'a'.repeat(5_000)}`, 414],
    ] as const) {
      const response = await fetch(`${API}${route}`, { headers: { authorization: `Bearer ${accessToken}` } });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([response.status, shapeProblem(response.status, response.headers.get('content-type') ?? '', bytes)]).toEqual([
        status,
        undefined,
      ]);
    }
  });

  it('keeps every consumer running under random bytes and mutated events, with each refused message in its DLQ', async () => {
    const report: ConsumerFuzzReport = await fuzzConsumers({
      kafka,
      namer,
      seed: SEED,
      messages: MESSAGES,
      databaseUrls,
      serviceOrigins: Object.fromEntries(['gateway', ...SERVICES].map((s) => [s, `http://127.0.0.1:${ports[s as keyof Ports]}`])),
      timeoutMs: 90_000,
    });
    expect(report.messages).toBeGreaterThanOrEqual(MESSAGES);
    // Every consuming group stored the marker sent after the fuzz: none stopped.
    expect(report.markersApplied).toEqual(Object.fromEntries(Object.entries(CONSUMED_TOPICS).map(([t, groups]) => [t, [...groups]])));
    expect(report.lost).toEqual([]);
    expect(report.handlerFailures).toEqual([]);
    for (const [topic, stats] of Object.entries(report.perTopic)) {
      for (const [group, g] of Object.entries(stats.perGroup)) {
        // Both outcomes occur on every topic and group: refusals in the DLQ and applied events.
        expect([topic, group, g.dlq > 0, g.applied > 0, g.dlq + g.applied]).toEqual([topic, group, true, true, stats.messages]);
      }
    }
    expect(report.healthReady).toEqual({ gateway: 200, identity: 200, claims: 200, referrals: 200, providers: 200 });
  });
});
