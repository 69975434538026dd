// The API fuzzer: reads the gateway's OpenAPI document and, for every operation (path + method), sends
// schema-derived and mutated requests, each once without a token and once with a member's access token. It
// counts answers by status and records every 5xx, every non-2xx answer that is not the API.md error shape
// (`{ statusCode, code, message, details }` as JSON) and every request that got no answer at all.
import http from 'node:http';
import fc from 'fast-check';
import { pdf, pdfWithJavaScript, plainPng } from '../../apps/referrals/src/attachments/attachment-fixtures.js';
import { hostileString, hostileValue, resolve, validValue, type Components, type Schema } from './schema-values.js';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Components };
}

/** One operation of the document, as the fuzzer drives it. */
export interface FuzzOperation {
  key: string;
  method: string;
  template: string;
  routeClass: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  bodyType?: 'json' | 'multipart';
  bodySchema?: Schema;
}

/** One request as sent: the target is raw (already percent-encoded, dot segments kept). */
export interface FuzzRequest {
  mutation: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface Reproduction {
  kind: '5xx' | 'shape' | 'no-answer';
  operation: string;
  mutation: string;
  withToken: boolean;
  method: string;
  target: string;
  requestHeaders: Record<string, string>;
  bodyExcerpt: string;
  status: number;
  contentType: string;
  responseExcerpt: string;
  problem: string;
}

export interface ApiFuzzReport {
  seed: number;
  requests: number;
  durationMs: number;
  operations: number;
  statuses: Record<string, number>;
  perRouteClass: Record<string, { requests: number; statuses: Record<string, number> }>;
  perOperation: Record<string, { requests: number; statuses: Record<string, number> }>;
  perMutation: Record<string, number>;
  serverErrors: number;
  shapeViolations: number;
  noAnswer: number;
  /** Connections the server closed while an over-limit body was still being written (a refusal, not a failure). */
  closedOnLargeBody: number;
  /** The first failures of each operation and kind (the counts above are complete). */
  failures: Reproduction[];
}

export interface ApiFuzzOptions {
  /** The gateway's origin, e.g. http://127.0.0.1:4600 */
  origin: string;
  /** A member access token (the demo account's). */
  accessToken: string;
  seed: number;
  /** Total requests (each generated case is sent twice: without and with the token). */
  requests: number;
  concurrency?: number;
  timeoutMs?: number;
  /** Operations to skip, as `METHOD /path` (none by default). */
  skip?: string[];
  onProgress?: (done: number, total: number) => void;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes its (invalid) 3-byte CESU-8 form. */
export function encodeLoose(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const next = value.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(value[i]!);
    }
  }
  return out;
}

/** Path segments sent as they are: dot segments, broken or overlong escapes, encoded slashes, a raw Latin-1 byte. */
const RAW_SEGMENTS = [
  '.',
  '..',
  '%2e',
  '%2E%2E',
  '.%2e',
  '%00',
  '%ff',
  '%C0%AF',
  '%ED%A0%80',
  '%',
  '%zz',
  '%2F',
  'a%2F..%2F..%2Fhealth',
  '..%5c..%5c',
  ';x=1',
  '\u00ff',
  '%F0%9F%98%80',
  '%DB%B1%DB%B2',
  '~',
  '*',
];

function jsonBuffer(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
}

function classify(template: string, op: Operation, method: string): string {
  const auth = op.security?.some((s) => Object.keys(s).length > 0) ? 'member' : 'public';
  if (!template.startsWith('/api/')) return `ops ${method}`;
  const body = op.requestBody ? (Object.keys(op.requestBody.content).includes('multipart/form-data') ? ' multipart' : ' json') : '';
  return `${auth} ${method}${body}`;
}

/** Every operation of the document. */
export function operationsOf(doc: OpenApiDocument): FuzzOperation[] {
  const components = doc.components?.schemas ?? {};
  const ops: FuzzOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const multipart = content['multipart/form-data'];
      const json = content['application/json'];
      ops.push({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        routeClass: classify(template, op, method.toUpperCase()),
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        bodyType: multipart ? 'multipart' : json ? 'json' : undefined,
        bodySchema: multipart || json ? resolve((multipart ?? json)!.schema, components) : undefined,
      });
    }
  }
  return ops;
}

function valueToParam(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

function multipartBody(parts: MultipartPart[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.contentType ? `Content-Type: ${part.contentType}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), part.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const PNG = plainPng(8, 8);
const FILES: readonly [string, Buffer, string][] = [
  ['scan.png', PNG, 'image/png'],
  ['scan.pdf', pdf(), 'application/pdf'],
  ['js.pdf', pdfWithJavaScript(), 'application/pdf'],
  ['empty.png', Buffer.alloc(0), 'image/png'],
  ['a.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), 'application/octet-stream'],
  ['truncated.png', PNG.subarray(0, 20), 'image/png'],
  ['../../etc/passwd', PNG, 'image/png'],
  ['x\u0000.png', PNG, 'image/png'],
  ['text.txt', Buffer.from('hello'), 'text/plain'],
];

/** The arbitrary of one request case of an operation (its target, headers and body, without the token). */
export function caseArbitrary(op: FuzzOperation, components: Components): fc.Arbitrary<FuzzRequest> {
  const pathValue = (p: Parameter, hostile: boolean): fc.Arbitrary<string> =>
    hostile
      ? fc.oneof(
          { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 2 },
          { arbitrary: hostileString.map(encodeLoose), weight: 2 },
          { arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'a'.repeat(n)), weight: 1 },
        )
      : validValue(p.schema ?? { type: 'string' }, components).map((v) => encodeLoose(valueToParam(v)));

  const queryPairs = (mode: 'valid' | 'hostile' | 'extra'): fc.Arbitrary<string> => {
    const pairs = op.queryParams.map((p) => {
      const value =
        mode === 'hostile'
          ? fc.oneof(hostileString, validValue(p.schema ?? {}, components).map(valueToParam))
          : validValue(p.schema ?? {}, components).map(valueToParam);
      return fc.option(
        value.map((v) => `${encodeLoose(p.name)}=${encodeLoose(v)}`),
        { nil: undefined, freq: p.required ? 8 : 2 },
      );
    });
    const extras =
      mode === 'extra'
        ? fc.array(
            fc.constantFrom(
              'page=1&page=2',
              '__proto__[admin]=1',
              'constructor[prototype][x]=1',
              'pageSize[]=5',
              'page=%00',
              'q=%ED%A0%80',
              'unknown=1',
              '=',
              '&&&',
              'page',
              `q=${'z'.repeat(8_000)}`,
            ),
            { maxLength: 3 },
          )
        : fc.constant([] as string[]);
    return fc.tuple(fc.tuple(...pairs), extras).map(([ps, ex]) => [...ps.filter((x) => x !== undefined), ...ex].join('&'));
  };

  const target = (hostilePath: boolean, query: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc.tuple(fc.tuple(...op.pathParams.map((p) => pathValue(p, hostilePath))), query).map(([values, q]) => {
      let path = op.template;
      op.pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i]!)));
      return q ? `${path}?${q}` : path;
    });

  const headers = fc
    .record({ lang: fc.constantFrom<string | undefined>(undefined, 'fa', 'en', 'fa-IR,fa;q=0.9', '\u00ff'), accept: fc.boolean() })
    .map(({ lang, accept }) => {
      const h: Record<string, string> = {};
      if (lang) h['accept-language'] = lang;
      if (accept) h.accept = 'application/json';
      return h;
    });

  const noBody = (mutation: string, hostilePath: boolean, query: 'valid' | 'hostile' | 'extra') =>
    fc.tuple(target(hostilePath, queryPairs(query)), headers).map(([t, h]) => ({ mutation, method: op.method, target: t, headers: h }));

  const cases: { arbitrary: fc.Arbitrary<FuzzRequest>; weight: number }[] = [
    { arbitrary: noBody('valid', false, 'valid'), weight: op.bodyType ? 1 : 4 },
    { arbitrary: noBody('hostile-query', false, 'hostile'), weight: op.queryParams.length ? 3 : 0 },
    { arbitrary: noBody('extra-query', false, 'extra'), weight: 2 },
    { arbitrary: noBody('hostile-path', true, 'valid'), weight: op.pathParams.length ? 4 : 0 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('/..', '/.', '/%2e%2e', '/%2e', '//', '/%00', `/${'p'.repeat(12_000)}`, '/x'), headers)
        .map(([suffix, h]) => ({
          mutation: 'dot-or-long-path',
          method: op.method,
          target: op.template.replace(/\{[^}]+\}/g, '1') + suffix,
          headers: h,
        })),
      weight: 1,
    },
  ];

  if (op.bodyType === 'json' || (!op.bodyType && op.method !== 'GET')) {
    const schema = op.bodySchema ?? { type: 'object' };
    const valid = validValue(schema, components);
    const props = Object.keys(resolve(schema, components).properties ?? {});
    const withBody = (mutation: string, body: fc.Arbitrary<Buffer>, contentType: fc.Arbitrary<string | undefined>) =>
      fc.tuple(target(false, queryPairs('valid')), headers, body, contentType).map(([t, h, b, ct]) => ({
        mutation,
        method: op.method,
        target: t,
        headers: ct ? { ...h, 'content-type': ct } : h,
        body: b,
      }));
    const json = fc.constant('application/json');
    const field = props.length ? fc.constantFrom(...props) : fc.constant('x');
    const asObject = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
    cases.push(
      { arbitrary: withBody('body-valid', valid.map(jsonBuffer), json), weight: 4 },
      {
        arbitrary: withBody(
          'body-field-hostile',
          fc.tuple(valid, field, hostileValue).map(([v, f, x]) => jsonBuffer({ ...asObject(v), [f]: x })),
          json,
        ),
        weight: 6,
      },
      {
        arbitrary: withBody(
          'body-field-missing',
          fc.tuple(valid, field).map(([v, f]) => {
            const copy = { ...asObject(v) };
            delete copy[f];
            return jsonBuffer(copy);
          }),
          json,
        ),
        weight: 2,
      },
      {
        arbitrary: withBody(
          'body-extra-fields',
          fc
            .tuple(
              valid,
              fc.dictionary(fc.constantFrom('isAdmin', 'role', 'nationalCode', 'id', 'x'.repeat(300), '\u0000', ''), hostileValue),
            )
            .map(([v, extra]) => jsonBuffer({ ...asObject(v), ...extra })),
          json,
        ),
        weight: 2,
      },
      {
        arbitrary: withBody(
          'body-prototype',
          valid.map((v) =>
            Buffer.from(JSON.stringify(v).replace(/^\{/, '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},')),
          ),
          json,
        ),
        weight: 1,
      },
      {
        arbitrary: withBody(
          'body-deep',
          fc
            .tuple(fc.constantFrom(20, 33, 100, 1_000, 5_000), fc.boolean(), field)
            .map(([d, arr, f]) => Buffer.from(`{${JSON.stringify(f)}:${(arr ? '[' : '{"a":').repeat(d)}1${(arr ? ']' : '}').repeat(d)}}`)),
          json,
        ),
        weight: 1,
      },
      { arbitrary: withBody('body-root', fc.constantFrom<unknown>(null, [], [{}], 'x', 0, true, '').map(jsonBuffer), json), weight: 1 },
      {
        arbitrary: withBody(
          'body-broken-json',
          fc
            .constantFrom(
              '{',
              '{"a":',
              '[1,2',
              '{"a":1}}',
              "{'a':1}",
              'undefined',
              '\u0000',
              '{"a":"\\ud800"}',
              '{"a":"\\u0000"}',
              '\xff\xfe{}',
              '',
            )
            .map((s) => Buffer.from(s, 'latin1')),
          json,
        ),
        weight: 2,
      },
      {
        arbitrary: withBody(
          'content-type',
          valid.map(jsonBuffer),
          fc.constantFrom(
            undefined,
            'text/plain',
            'application/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
            'application/json; charset=latin1',
            'application/json;;;',
            '*/*',
            '\u00ff',
          ),
        ),
        weight: 2,
      },
      {
        arbitrary: withBody(
          'body-large',
          fc.constantFrom(200_000, 1_100_000).map((n) => jsonBuffer({ [props[0] ?? 'x']: 'w'.repeat(n) })),
          json,
        ),
        weight: 0.25,
      },
    );
  }

  if (op.bodyType === 'multipart') {
    const schema = resolve(op.bodySchema, components);
    const entries = Object.entries(schema.properties ?? {});
    const isFile = (s: Schema) =>
      resolve(s, components).format === 'binary' || resolve(resolve(s, components).items, components).format === 'binary';
    const textFields = entries.filter(([, s]) => !isFile(s));
    const fileFields = entries.filter(([, s]) => isFile(s)).map(([n]) => n);
    const fieldParts = (hostile: boolean) =>
      fc
        .tuple(
          ...textFields.map(([name, s]) =>
            fc.option(
              (hostile ? fc.oneof(validValue(s, components), hostileString) : validValue(s, components)).map((v): MultipartPart => ({
                name,
                data: Buffer.from(valueToParam(v), 'utf8'),
              })),
              { nil: undefined, freq: 8 },
            ),
          ),
        )
        .map((ps) => ps.filter((p) => p !== undefined) as MultipartPart[]);
    const fileParts = fc
      .array(
        fc.tuple(
          fc.constantFrom(...(fileFields.length ? fileFields : ['file'])),
          fc.constantFrom(...FILES),
          fc.constantFrom('', 'image/png', 'text/html'),
        ),
        { maxLength: 4 },
      )
      .map((fs) =>
        fs.map(([name, [filename, data, type], override]): MultipartPart => ({ name, filename, contentType: override || type, data })),
      );
    const boundary = fc.constantFrom('fuzzBoundary7MA4YWxkTrZu0gW', 'b');
    const multipart = (mutation: string, hostileFields: boolean) => ({
      arbitrary: fc
        .tuple(target(false, queryPairs('valid')), headers, fieldParts(hostileFields), fileParts, boundary)
        .map(([t, h, f, files, b]) => ({
          mutation,
          method: op.method,
          target: t,
          headers: { ...h, 'content-type': `multipart/form-data; boundary=${b}` },
          body: multipartBody([...f, ...files], b),
        })),
      weight: 4,
    });
    cases.push(multipart('multipart-valid', false), multipart('multipart-hostile-fields', true), {
      arbitrary: fc
        .tuple(
          target(false, queryPairs('valid')),
          headers,
          fieldParts(false),
          fc.constantFrom('no-boundary', 'wrong-boundary', 'truncated', 'json', 'garbage', 'empty', 'nul-name'),
        )
        .map(([t, h, f, how]) => {
          const b = 'fuzzBoundary';
          const good = multipartBody([...f, { name: fileFields[0] ?? 'file', filename: 'a.png', contentType: 'image/png', data: PNG }], b);
          const variants: Record<string, [string, Buffer]> = {
            'no-boundary': ['multipart/form-data', good],
            'wrong-boundary': ['multipart/form-data; boundary=other', good],
            truncated: [`multipart/form-data; boundary=${b}`, good.subarray(0, Math.floor(good.length / 2))],
            json: ['application/json', jsonBuffer(Object.fromEntries(f.map((p) => [p.name, p.data.toString()])))],
            garbage: [`multipart/form-data; boundary=${b}`, Buffer.from('\u0000\u00ff garbage --fuzzBoundary\r\n\r\n', 'latin1')],
            empty: [`multipart/form-data; boundary=${b}`, Buffer.alloc(0)],
            'nul-name': [`multipart/form-data; boundary=${b}`, multipartBody([{ name: 'a\u0000b', data: Buffer.from('x') }], b)],
          };
          const [contentType, body] = variants[how]!;
          return { mutation: `multipart-${how}`, method: op.method, target: t, headers: { ...h, 'content-type': contentType }, body };
        }),
      weight: 4,
    });
  }
  return fc.oneof(...cases.filter((c) => c.weight > 0).map((c) => ({ ...c, weight: Math.round(c.weight * 4) })));
}

/** The services' JSON body limit (libs/platform BODY_LIMIT_BYTES). */
const OVER_LIMIT_BYTES = 100 * 1024;
/** Pseudo-status of a connection closed by the server while an over-limit body was being sent. */
const CLOSED_ON_LARGE_BODY = -413;

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

function send(agent: http.Agent, origin: URL, request: FuzzRequest, timeoutMs: number): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body) headers['content-length'] = request.body.length;
    const req = http.request(
      { host: origin.hostname, port: origin.port, method: request.method, path: request.target, headers, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer 413 and close while an over-limit body is still being written: the socket then fails
      // before the client reads the answer. That refusal is counted apart, not as a request without answer.
      const closed = error.code === 'EPIPE' || error.code === 'ECONNRESET';
      if (closed && (request.body?.length ?? 0) > OVER_LIMIT_BYTES)
        resolvePromise({ status: CLOSED_ON_LARGE_BODY, contentType: '', body: Buffer.alloc(0) });
      else reject(error);
    });
    req.end(request.body);
  });
}

/** Why an answer is not the API.md error shape, or undefined when it is. */
export function shapeProblem(status: number, contentType: string, body: Buffer): string | undefined {
  if (!/^application\/json\b/i.test(contentType)) return `content-type is "${contentType}", not application/json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return 'body is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'body is not a JSON object';
  const e = parsed as Record<string, unknown>;
  if (e.statusCode !== status) return `statusCode ${JSON.stringify(e.statusCode)} differs from the HTTP status ${status}`;
  if (typeof e.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(e.code)) return `code ${JSON.stringify(e.code)} is not an upper-case code`;
  if (typeof e.message !== 'string' || e.message.length === 0) return 'message is missing or empty';
  if (!Array.isArray(e.details)) return 'details is not an array';
  for (const d of e.details as unknown[]) {
    const detail = d as Record<string, unknown> | null;
    if (!detail || typeof detail.code !== 'string' || typeof detail.message !== 'string') return 'a detail lacks code or message';
    if (detail.field !== undefined && typeof detail.field !== 'string') return 'a detail field is not a string';
  }
  const extra = Object.keys(e).filter((k) => !['statusCode', 'code', 'message', 'details'].includes(k));
  if (extra.length) return `unexpected keys ${extra.join(', ')}`;
  if (/\n\s+at |\.(?:js|ts):\d+|node_modules|Prisma|kafkajs|TypeError|ReferenceError/.test(body.toString('utf8')))
    return 'the body names internals';
  return undefined;
}

/** The first bytes, escaped: a request's as Latin-1 (each byte shown as sent), an answer's as UTF-8 (its messages may be Persian). */
const excerpt = (bytes: Buffer | undefined, max: number, encoding: BufferEncoding = 'latin1'): string => {
  if (!bytes?.length) return '';
  const text = bytes.subarray(0, max).toString(encoding);
  return JSON.stringify(text).slice(1, -1) + (bytes.length > max ? ` …(${bytes.length} bytes)` : '');
};

function hashString(value: string): number {
  let h = 2166136261;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Runs the API fuzzer against a running gateway. */
export async function fuzzApi(options: ApiFuzzOptions): Promise<ApiFuzzReport> {
  const origin = new URL(options.origin);
  const started = Date.now();
  const docAnswer = await fetch(new URL('/docs-json', origin));
  if (!docAnswer.ok) throw new Error(`GET /docs-json answered ${docAnswer.status}`);
  const doc = (await docAnswer.json()) as OpenApiDocument;
  const components = doc.components?.schemas ?? {};
  const ops = operationsOf(doc).filter((op) => !options.skip?.includes(op.key));
  const casesPerOp = Math.max(1, Math.ceil(options.requests / 2 / ops.length));

  // Generated up front, deterministically: the same seed gives the same requests in the same order.
  const queue: { op: FuzzOperation; request: FuzzRequest; withToken: boolean }[] = [];
  for (const op of ops) {
    const cases = fc.sample(caseArbitrary(op, components), { seed: (options.seed ^ hashString(op.key)) | 0, numRuns: casesPerOp });
    for (const request of cases) {
      queue.push({ op, request, withToken: false });
      queue.push({
        op,
        request: { ...request, headers: { ...request.headers, authorization: `Bearer ${options.accessToken}` } },
        withToken: true,
      });
    }
  }
  // Interleave operations so no route is hammered alone (and the services see a mixed load).
  const order = fc.sample(fc.shuffledSubarray(queue, { minLength: queue.length, maxLength: queue.length }), {
    seed: options.seed,
    numRuns: 1,
  })[0]!;

  const report: ApiFuzzReport = {
    seed: options.seed,
    requests: 0,
    durationMs: 0,
    operations: ops.length,
    statuses: {},
    perRouteClass: {},
    perOperation: {},
    perMutation: {},
    serverErrors: 0,
    shapeViolations: 0,
    noAnswer: 0,
    closedOnLargeBody: 0,
    failures: [],
  };
  const recordedPerOp = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const timeoutMs = options.timeoutMs ?? 20_000;

  const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const record = (item: (typeof order)[number], answer: Answer | undefined, kind: Reproduction['kind'], problem: string) => {
    const key = `${item.op.key} ${kind}`;
    const seen = recordedPerOp.get(key) ?? 0;
    recordedPerOp.set(key, seen + 1);
    if (seen >= 3) return;
    const requestHeaders = { ...item.request.headers };
    if (requestHeaders.authorization) requestHeaders.authorization = 'Bearer <member access token>';
    report.failures.push({
      kind,
      operation: item.op.key,
      mutation: item.request.mutation,
      withToken: item.withToken,
      method: item.request.method,
      target:
        item.request.target.length > 400
          ? `${item.request.target.slice(0, 400)}…(${item.request.target.length} chars)`
          : item.request.target,
      requestHeaders,
      bodyExcerpt: excerpt(item.request.body, 300),
      status: answer?.status ?? 0,
      contentType: answer?.contentType ?? '',
      responseExcerpt: excerpt(answer?.body, 500, 'utf8'),
      problem,
    });
  };

  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const item = order[next++]!;
      let answer: Answer | undefined;
      let error: unknown;
      try {
        answer = await send(agent, origin, item.request, timeoutMs);
      } catch (e) {
        error = e;
      }
      report.requests++;
      const status = !answer
        ? 'no answer'
        : answer.status === CLOSED_ON_LARGE_BODY
          ? 'closed on an over-limit body'
          : String(answer.status);
      bump(report.statuses, status);
      bump(report.perMutation, item.request.mutation);
      const perOp = (report.perOperation[item.op.key] ??= { requests: 0, statuses: {} });
      perOp.requests++;
      bump(perOp.statuses, status);
      const perClass = (report.perRouteClass[item.op.routeClass] ??= { requests: 0, statuses: {} });
      perClass.requests++;
      bump(perClass.statuses, status);
      if (!answer) {
        report.noAnswer++;
        record(item, undefined, 'no-answer', (error as Error)?.message ?? String(error));
      } else if (answer.status === CLOSED_ON_LARGE_BODY) {
        report.closedOnLargeBody++;
      } else if (answer.status >= 500) {
        report.serverErrors++;
        record(item, answer, '5xx', `status ${answer.status}`);
      } else if (answer.status >= 300) {
        const problem = shapeProblem(answer.status, answer.contentType, answer.body);
        if (problem) {
          report.shapeViolations++;
          record(item, answer, 'shape', problem);
        }
      }
      options.onProgress?.(report.requests, order.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    agent.destroy();
  }
  report.durationMs = Date.now() - started;
  return report;
}
