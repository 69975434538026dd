// The consumer fuzzer: publishes random bytes and mutated valid events on every insurer topic the services
// consume, then a valid marker event per topic, and waits until every consuming group has stored its marker
// (its inbox row) and committed every partition to its end: no consumer stopped. Then it accounts for each
// message, per group: one the contract refuses must be in the topic's DLQ (matched by the x-original-partition
// and x-original-offset headers, with a code and a reason); one the contract accepts was applied (committed and
// not in the DLQ) or refused against state (in the DLQ with a state code).
import fc from 'fast-check';
import pg from 'pg';
import { dlqTopic, DlqHeaders, TOPIC_PARTITIONS, validateEvent, type TopicName } from '@darman/contracts';
import type { KafkaClient, TopicNamer } from '@darman/messaging';
import { readWholeTopic } from '../../libs/testing/src/kafka-probe.js';
import { HOSTILE_NUMBERS, HOSTILE_STRINGS, hostileValue } from './schema-values.js';
import { CONSUMED_TOPICS, SERVICE_OF_GROUP, validCorpus, type Envelope } from './valid-events.js';

export interface FuzzMessage {
  topic: string;
  kind: string;
  key: string | null;
  value: Buffer | null;
  /** The envelope's eventId, when the value is one. */
  eventId?: string;
  /** What the contract says (the oracle): undefined when valid, else the error code. */
  refusedAs?: string;
  partition?: number;
  offset?: string;
}

export interface ConsumerLoss {
  topic: string;
  group: string;
  kind: string;
  partition: number;
  offset: string;
  expected: string;
  valueExcerpt: string;
}

export interface ConsumerFuzzReport {
  seed: number;
  messages: number;
  durationMs: number;
  perTopic: Record<
    string,
    {
      messages: number;
      kinds: Record<string, number>;
      perGroup: Record<string, { dlq: number; applied: number; dlqCodes: Record<string, number> }>;
    }
  >;
  /** Refused by the contract but not in the group's DLQ (or in it without a reason): lost. */
  lost: ConsumerLoss[];
  /** Accepted by the contract but refused by a handler that failed (HANDLER_FAILED): a consumer bug. */
  handlerFailures: ConsumerLoss[];
  /** DLQ entries whose code differs from the contract's verdict (informational). */
  codeDifferences: number;
  markersApplied: Record<string, string[]>;
  healthReady: Record<string, number>;
}

export interface ConsumerFuzzOptions {
  kafka: KafkaClient;
  namer: TopicNamer;
  seed: number;
  /** Total messages over all topics (markers not included). */
  messages: number;
  /** Each service's database (identity, claims, referrals, providers): where the markers' inbox rows are looked for. */
  databaseUrls: Record<string, string>;
  /** Each service's origin, for /health/ready afterwards. */
  serviceOrigins: Record<string, string>;
  timeoutMs?: number;
}

const STATE_CODES = new Set(['STATE_CONFLICT', 'INVARIANT_VIOLATED', 'AMOUNT_MISMATCH']);

function uuidOf(rng: fc.Arbitrary<string>, seed: number, n: number): string[] {
  return fc.sample(rng, { seed, numRuns: n });
}

/** Mutations of a valid envelope; each returns the mutated envelope and the kafka key to send it with. */
const mutations: Record<string, (e: Envelope, pick: <T>(xs: readonly T[]) => T) => { value: unknown; key?: string | null }> = {
  'valid-as-is': (e) => ({ value: e }),
  'remove-envelope-field': (e, pick) => {
    const copy: Record<string, unknown> = { ...e };
    delete copy[pick(['eventId', 'eventType', 'eventVersion', 'occurredAt', 'source', 'subject', 'data'])];
    return { value: copy };
  },
  'remove-data-field': (e, pick) => {
    const data = { ...e.data };
    const keys = Object.keys(data);
    if (keys.length) delete data[pick(keys)];
    return { value: { ...e, data } };
  },
  'wrong-type-envelope': (e, pick) => ({
    value: {
      ...e,
      [pick(['eventId', 'eventType', 'eventVersion', 'occurredAt', 'source', 'subject', 'sequence', 'data'])]: pick([
        1,
        'x',
        null,
        [],
        {},
        true,
        -1,
      ]),
    },
  }),
  'wrong-type-data': (e, pick) => {
    const keys = Object.keys(e.data);
    return { value: { ...e, data: { ...e.data, [keys.length ? pick(keys) : 'x']: pick([1, 'x', null, [], {}, true, -1, 1e300]) } } };
  },
  'hostile-data-value': (e, pick) => {
    const keys = Object.keys(e.data);
    return {
      value: {
        ...e,
        data: {
          ...e.data,
          [keys.length ? pick(keys) : 'x']: pick([...HOSTILE_STRINGS.filter((s) => s.length < 2_000), ...HOSTILE_NUMBERS]),
        },
      },
    };
  },
  'out-of-range': (e, pick) => {
    const amountKeys = Object.keys(e.data).filter((k) => /amount|Amount/.test(k));
    if (amountKeys.length && pick([true, false]))
      return { value: { ...e, data: { ...e.data, [pick(amountKeys)]: pick([-1, 1e16, 0.5, 2 ** 53 + 1]) } } };
    return { value: { ...e, sequence: pick([0, -1, 1.5, 2 ** 53 + 1, 1e300]) } };
  },
  'unknown-event-type': (e, pick) => ({
    value: { ...e, eventType: pick(['ClaimDeleted', 'memberenrolled', '', 'ProviderUpserted2', '__proto__', 'ReferralRequested']) },
  }),
  'unknown-event-version': (e, pick) => ({ value: { ...e, eventVersion: pick([0, 2, 99, -1, 1.5, '1']) } }),
  'garbage-date': (e, pick) => {
    const dateKeys = Object.keys(e.data).filter((k) => /Date|date|At$|On$|Until|From|Start|End|dueBy/.test(k));
    if (dateKeys.length && pick([true, false]))
      return {
        value: {
          ...e,
          data: {
            ...e.data,
            [pick(dateKeys)]: pick(['2019-02-30', 'yesterday', '', '1398/06/14', '2019-13-01', '99999-01-01', '2019-01-01T25:00:00Z']),
          },
        },
      };
    return {
      value: {
        ...e,
        occurredAt: pick(['2019-11-03', 'now', '', '2019-11-03T08:15:00', '1970-01-01T00:00:00+99:00', '2019-02-30T10:00:00+03:30']),
      },
    };
  },
  'extra-fields': (e, pick) => ({
    value: {
      ...e,
      [pick(['extra', 'eventIdX', 'x'.repeat(200)])]: pick([1, 'x', {}]),
      data: { ...e.data, [pick(['unknown', 'isAdmin', 'z'])]: 'x' },
    },
  }),
  'constructor-key': (e) => ({
    value: { ...e, data: JSON.parse(JSON.stringify(e.data).replace(/^\{/, '{"constructor":{"prototype":{}},')) },
  }),
  'key-mismatch': (e) => ({ value: e, key: `${String(e.subject)}-other` }),
  'null-key': (e) => ({ value: e, key: null }),
  'data-not-object': (e, pick) => ({ value: { ...e, data: pick([null, [], 'x', 1, [e.data]]) } }),
  'bad-event-id': (e, pick) => ({ value: { ...e, eventId: pick(['not-a-uuid', '', '00000000-0000-0000-0000-00000000000g', 42]) } }),
};

/** Random-bytes payloads: empty, tombstone, binary, non-UTF-8, JSON that is not an object, large. */
const rawPayloads: fc.Arbitrary<{ kind: string; value: Buffer | null }> = fc.oneof(
  fc.constant({ kind: 'raw-empty', value: Buffer.alloc(0) }),
  fc.constant({ kind: 'raw-tombstone', value: null }),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => ({ kind: 'raw-random-bytes', value: Buffer.from(b) })),
  fc
    .constantFrom('\xff\xfe\xfd', '\xc0\xaf', '{"a":"\xff"}', '\xed\xa0\x80')
    .map((s) => ({ kind: 'raw-non-utf8', value: Buffer.from(s, 'latin1') })),
  fc
    .constantFrom('[]', '1', '"text"', 'null', 'true', '[{}]', '{}', '  ')
    .map((s) => ({ kind: 'raw-json-not-object', value: Buffer.from(s) })),
  fc.constantFrom('{', '{"eventId":', '{"a":1}}', "{'a':1}", '\ufeff{}').map((s) => ({ kind: 'raw-broken-json', value: Buffer.from(s) })),
  fc.constantFrom(100, 5_000).map((d) => ({ kind: 'raw-deep-json', value: Buffer.from(`${'{"data":'.repeat(d)}1${'}'.repeat(d)}`) })),
  fc
    .constantFrom(200_000, 900_000)
    .map((n) => ({ kind: 'raw-large', value: Buffer.from(JSON.stringify({ eventType: 'x', blob: 'q'.repeat(n) })) })),
);

/** The fuzz messages of one topic, generated from the seed. */
export function generateMessages(topic: string, corpus: Envelope[], seed: number, count: number): FuzzMessage[] {
  const mutationNames = Object.keys(mutations);
  const ids = uuidOf(fc.uuid({ version: 4 }), seed, count);
  const plan = fc.sample(
    fc.record({
      raw: fc.integer({ min: 0, max: 9 }),
      rawPayload: rawPayloads,
      base: fc.nat(),
      mutation: fc.constantFrom(...mutationNames),
      picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      rawKey: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
      hostile: hostileValue,
    }),
    { seed, numRuns: count },
  );
  return plan.map((p, i) => {
    let message: FuzzMessage;
    // Three in ten are random bytes, the rest mutated valid events.
    if (p.raw < 3) {
      // Large values are rare: one in about fifty of the raw ones stays large, the rest become random bytes.
      const large = p.rawPayload.kind === 'raw-large' && p.base % 8 !== 0;
      const payload = large ? { kind: 'raw-random-bytes', value: Buffer.from(String(p.hostile ?? '')) } : p.rawPayload;
      message = { topic, kind: payload.kind, key: p.rawKey, value: payload.value };
    } else {
      const base = corpus[p.base % corpus.length]!;
      let n = 0;
      const pick = <T>(xs: readonly T[]): T => xs[p.picks[n++ % p.picks.length]! % xs.length]!;
      const fresh: Envelope = { ...base, eventId: ids[i]! };
      const mutated = mutations[p.mutation]!(fresh, pick);
      const key = mutated.key === undefined ? String(base.subject) : mutated.key;
      const eventId = (mutated.value as { eventId?: unknown } | null)?.eventId;
      message = {
        topic,
        kind: p.mutation,
        key,
        value: Buffer.from(JSON.stringify(mutated.value) ?? 'null', 'utf8'),
        eventId: typeof eventId === 'string' ? eventId : undefined,
      };
    }
    const verdict = validateEvent(topic as TopicName, message.value, message.key);
    message.refusedAs = verdict.ok ? undefined : verdict.code;
    return message;
  });
}

const excerpt = (value: Buffer | null): string =>
  value === null
    ? '<null>'
    : JSON.stringify(value.subarray(0, 160).toString('latin1')) + (value.length > 160 ? ` …(${value.length} bytes)` : '');

/**
 * A valid event of the topic that no state can refuse: the first corpus event under a new id and, for a claim or
 * a provider, a subject never seen (a second registration of a known claim could conflict).
 */
function markerEvent(corpus: Envelope[], eventId: string): Envelope {
  const base = corpus[0]!;
  const fresh = `FZ${eventId.slice(0, 8)}`;
  const data = { ...base.data };
  let subject = base.subject;
  for (const field of ['claimId', 'providerId']) {
    if (typeof data[field] === 'string') {
      data[field] = fresh;
      subject = fresh;
    }
  }
  const { sequence: _sequence, ...rest } = base;
  return { ...rest, eventId, subject, data };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the consumer fuzzer against running services. */
export async function fuzzConsumers(options: ConsumerFuzzOptions): Promise<ConsumerFuzzReport> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const corpus = validCorpus();
  const topics = Object.keys(CONSUMED_TOPICS);
  const perTopicCount = Math.max(1, Math.ceil(options.messages / topics.length));
  const producer = options.kafka.producer({ allowAutoTopicCreation: false });
  const admin = options.kafka.admin();
  await producer.connect();
  await admin.connect();
  const report: ConsumerFuzzReport = {
    seed: options.seed,
    messages: 0,
    durationMs: 0,
    perTopic: {},
    lost: [],
    handlerFailures: [],
    codeDifferences: 0,
    markersApplied: {},
    healthReady: {},
  };
  const all: FuzzMessage[] = [];
  const markers: Record<string, string> = {};
  const pools = Object.fromEntries(
    Object.entries(options.databaseUrls).map(([svc, url]) => [svc, new pg.Pool({ connectionString: url, max: 1 })]),
  );
  try {
    for (const [t, topic] of topics.entries()) {
      const messages = generateMessages(topic, corpus[topic]!, (options.seed + 7919 * (t + 1)) | 0, perTopicCount);
      const partitions = TOPIC_PARTITIONS[topic as TopicName];
      // Sent to explicit partitions in one batch each, so every message's offset is known from the broker's answer.
      for (let partition = 0; partition < partitions; partition++) {
        const mine = messages.filter((_, i) => i % partitions === partition);
        // One by one for the large ones (a batch must stay under the broker's limit), batched otherwise.
        const chunks: FuzzMessage[][] = [];
        let current: FuzzMessage[] = [];
        let bytes = 0;
        for (const m of mine) {
          const size = m.value?.length ?? 0;
          if (current.length && bytes + size > 400_000) {
            chunks.push(current);
            current = [];
            bytes = 0;
          }
          current.push(m);
          bytes += size;
        }
        if (current.length) chunks.push(current);
        for (const chunk of chunks) {
          const [meta] = await producer.send({
            topic: options.namer.topic(topic),
            acks: -1,
            messages: chunk.map((m) => ({ key: m.key, value: m.value, partition })),
          });
          chunk.forEach((m, i) => {
            m.partition = partition;
            m.offset = String(BigInt(meta!.baseOffset!) + BigInt(i));
          });
        }
      }
      all.push(...messages);
      // The marker: a valid event after everything else, whose inbox row proves each group read past the fuzz.
      const marker = markerEvent(corpus[topic]!, fc.sample(fc.uuid({ version: 4 }), { seed: options.seed + t, numRuns: 1 })[0]!);
      markers[topic] = String(marker.eventId);
      await producer.send({
        topic: options.namer.topic(topic),
        acks: -1,
        messages: [{ key: String(marker.subject), value: JSON.stringify(marker) }],
      });
    }
    report.messages = all.length;

    // Liveness: every group stored its marker and committed every partition of its topics to the end.
    for (const topic of topics) {
      report.markersApplied[topic] = [];
      for (const group of CONSUMED_TOPICS[topic]!) {
        const pool = pools[SERVICE_OF_GROUP[group]!]!;
        await waitFor(
          async () => {
            const { rowCount } = await pool.query('SELECT 1 FROM inbox_events WHERE consumer_group = $1 AND event_id = $2', [
              options.namer.group(group),
              markers[topic],
            ]);
            return rowCount ? true : undefined;
          },
          timeoutMs,
          `${group}'s marker on ${topic} (the consumer stopped?)`,
        );
        report.markersApplied[topic]!.push(group);
      }
    }
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(options.namer.topic(topic));
      for (const group of CONSUMED_TOPICS[topic]!) {
        await waitFor(
          async () => {
            const [committed] = await admin.fetchOffsets({ groupId: options.namer.group(group), topics: [options.namer.topic(topic)] });
            const behind = ends.filter((end) => {
              const c = committed!.partitions.find((p) => p.partition === end.partition);
              return !c || BigInt(c.offset) < BigInt(end.high);
            });
            return behind.length === 0 ? true : undefined;
          },
          timeoutMs,
          `${group} committing ${topic} to its end`,
        );
      }
    }

    // Accounting, per topic and group, against the DLQ.
    for (const topic of topics) {
      const dlq = await readWholeTopic(options.kafka, options.namer.topic(dlqTopic(topic)));
      const index = new Map<string, { code: string; reason: string }>();
      for (const entry of dlq) {
        const h = entry.headers;
        index.set(`${h[DlqHeaders.consumerGroup]}|${h[DlqHeaders.originalPartition]}|${h[DlqHeaders.originalOffset]}`, {
          code: h[DlqHeaders.errorCode] ?? '',
          reason: h[DlqHeaders.errorMessage] ?? '',
        });
      }
      const mine = all.filter((m) => m.topic === topic);
      const stats: ConsumerFuzzReport['perTopic'][string] = { messages: mine.length, kinds: {}, perGroup: {} };
      for (const m of mine) stats.kinds[m.kind] = (stats.kinds[m.kind] ?? 0) + 1;
      for (const group of CONSUMED_TOPICS[topic]!) {
        const g = (stats.perGroup[group] = { dlq: 0, applied: 0, dlqCodes: {} as Record<string, number> });
        // Applied means stored in the group's inbox (the event store the handlers ran in the same transaction with).
        const ids = mine.filter((m) => !m.refusedAs && m.eventId).map((m) => m.eventId!);
        const { rows } = await pools[SERVICE_OF_GROUP[group]!]!.query<{ event_id: string }>(
          'SELECT event_id::text FROM inbox_events WHERE consumer_group = $1 AND event_id = ANY($2::uuid[])',
          [options.namer.group(group), ids],
        );
        const stored = new Set(rows.map((r) => r.event_id));
        for (const m of mine) {
          const entry = index.get(`${options.namer.group(group)}|${m.partition}|${m.offset}`);
          const loss: ConsumerLoss = {
            topic,
            group,
            kind: m.kind,
            partition: m.partition!,
            offset: m.offset!,
            expected: m.refusedAs ?? 'applied',
            valueExcerpt: excerpt(m.value),
          };
          if (entry) {
            g.dlq++;
            g.dlqCodes[entry.code] = (g.dlqCodes[entry.code] ?? 0) + 1;
            if (!entry.code || !entry.reason)
              report.lost.push({ ...loss, expected: `${loss.expected} (DLQ entry without code or reason)` });
            else if (!m.refusedAs && !STATE_CODES.has(entry.code))
              report.handlerFailures.push({ ...loss, expected: `applied, got ${entry.code}: ${entry.reason}` });
            else if (m.refusedAs && m.refusedAs !== entry.code) report.codeDifferences++;
          } else if (m.refusedAs) {
            report.lost.push(loss);
          } else if (!stored.has(m.eventId!)) {
            report.lost.push({ ...loss, expected: 'applied, but it is neither in the inbox nor in the DLQ' });
          } else {
            g.applied++;
          }
        }
      }
      report.perTopic[topic] = stats;
    }
    for (const [svc, origin] of Object.entries(options.serviceOrigins)) {
      report.healthReady[svc] = await fetch(`${origin}/health/ready`)
        .then((r) => r.status)
        .catch(() => 0);
    }
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.end()));
    await producer.disconnect();
    await admin.disconnect();
  }
  report.durationMs = Date.now() - started;
  return report;
}
