import { stringify } from 'yaml';
import { EventEnvelope } from '../envelope.js';
import { EVENT_REGISTRY, type EventTypeSpec } from '../registry.js';
import { DlqHeaders, dlqTopic, TOPIC_PARTITIONS, Topics, type TopicName } from '../topics.js';
import { EventErrorCode } from '../validate-event.js';
import { schemaRef, schemasOf, type JsonSchema } from './schemas.js';

/** AsyncAPI 3 document of the event contract, generated from EVENT_REGISTRY (`npm run docs:asyncapi` writes docs/asyncapi.yaml). */
export type AsyncApiDocument = JsonSchema;

const KAFKA_BINDING = '0.5.0';
const DEAD_LETTER = 'DeadLetter';

const DESCRIPTION = `The Kafka contract between Darman, the member portal, and the insurer's systems.
Insurer systems publish the \`insurer.*\` topics and Darman consumes them; Darman
publishes the \`portal.*\` topics. Operations are named from Darman's side.

- Every message value is one UTF-8 JSON object, the envelope (\`EventEnvelope\`) whose
  \`data\` is the payload of its \`eventType\`.
- The Kafka key is the envelope's \`subject\`, which equals the payload field named
  in each message's key binding.
- \`eventId\` deduplicates: an event seen before has no further effect. When present,
  \`sequence\` orders the events of one subject; a lower one never overwrites newer state.
- Money is an integer number of rials (IRR), 0 to 10^15. Dates are \`YYYY-MM-DD\`,
  date-times ISO-8601 with an offset. On insurer topics, Persian or Arabic-Indic digits
  in national codes and mobiles are accepted and normalised.
- A message Darman cannot apply (not JSON, a missing or wrong field, a broken invariant,
  an unknown \`eventType\`, a key that is not the subject) is copied to \`<topic>.dlq\`
  with the \`x-*\` headers of the \`${DEAD_LETTER}\` message, and consumption continues.
- Additive changes keep a topic's version; a breaking change gets a new topic suffix
  (\`.v2\`) and both are served during the migration.
- Referral attachments are announced on \`portal.referrals.v1\` (id, kind, type, size,
  SHA-256) and stay in Darman: the insurer's system fetches one with
  \`GET /internal/referrals/{trackingCode}/attachments/{id}\` on the referrals service,
  with a service-client token from identity's \`POST /auth/token\` (OAuth 2.0 client
  credentials, scope \`referrals.attachments:read\`), and checks the SHA-256.
- Decisions on \`insurer.referrals.v1\` for a request the member cancelled, or one already
  final, are refused to the DLQ with \`STATE_CONFLICT\`; an older one is ignored.`;

/** What each DLQ header says; a header added to DlqHeaders needs its line here. */
const DLQ_HEADER_DOCS: Record<keyof typeof DlqHeaders, JsonSchema> = {
  errorCode: {
    type: 'string',
    description: 'Why the message was refused: a stable code, one of the examples or a consuming service’s own (e.g. a state conflict).',
    examples: Object.values(EventErrorCode),
  },
  errorMessage: { type: 'string', maxLength: 1000, description: 'What was wrong, for people (English).' },
  originalTopic: { type: 'string', description: 'The topic the message was read from.' },
  originalPartition: { type: 'string', pattern: '^[0-9]+$', description: 'Its partition, in decimal.' },
  originalOffset: { type: 'string', pattern: '^[0-9]+$', description: 'Its offset, in decimal.' },
  consumerGroup: { type: 'string', description: 'The consumer group that refused it (one topic may have several consuming services).' },
  truncated: {
    type: 'string',
    enum: ['true'],
    description:
      'Present when the refused message and these headers would not fit in one DLQ message: the value is then its first 64 KiB and its own headers are left out.',
  },
  originalSize: { type: 'string', pattern: '^[0-9]+$', description: 'With x-truncated: the size of the original value in bytes.' },
  originalSha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'With x-truncated: the SHA-256 of the original value (hex).' },
};

type Direction = 'send' | 'receive';

/** What a channel's direction and key do not say. */
const CHANNEL_NOTES: Partial<Record<TopicName, string>> = {
  'portal.sessions.v1':
    'Identity publishes it when a session ends (logout, password change or reset, a reused refresh token). The gateway and every Darman service read all of it, each process in a consumer group of its own, and from then on refuse the access tokens of that session (401 SESSION_REVOKED) within a second, without a database call per request. Retention 24 hours: an access token lives 10 minutes.',
};

/** `insurer.*` is published by insurers and received by Darman; `portal.*` is sent by Darman. */
function directionOf(topic: string): Direction {
  if (topic.startsWith('insurer.')) return 'receive';
  if (topic.startsWith('portal.')) return 'send';
  throw new Error(`topic ${topic} is neither insurer.* nor portal.*: say who publishes it in asyncapi.ts`);
}

/** The channel id of a topic: its key in Topics (`insurerClaims`). */
function channelId(topic: TopicName): string {
  const entry = Object.entries(Topics).find(([, name]) => name === topic);
  if (!entry) throw new Error(`topic ${topic} is in EVENT_REGISTRY but not in Topics`);
  return entry[0];
}

function upperFirst(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function refTo(...path: string[]): JsonSchema {
  return { $ref: `#/${path.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}` };
}

function keySchema(spec: EventTypeSpec, schemas: Record<string, JsonSchema>): JsonSchema {
  const properties = (schemas[spec.data.name]?.properties ?? {}) as Record<string, JsonSchema>;
  const field = properties[spec.subjectField];
  if (!field) throw new Error(`${spec.data.name} has no validated field ${spec.subjectField} (its subjectField)`);
  const { description: _ignored, ...shape } = field;
  return { ...shape, description: `The envelope's subject: data.${spec.subjectField}.` };
}

function eventMessage(topic: TopicName, eventType: string, spec: EventTypeSpec, schemas: Record<string, JsonSchema>): JsonSchema {
  return {
    name: eventType,
    title: eventType,
    summary: `${eventType} on ${topic}; key = data.${spec.subjectField}`,
    contentType: 'application/json',
    payload: {
      allOf: [
        schemaRef(EventEnvelope),
        {
          type: 'object',
          properties: {
            eventType: { const: eventType },
            subject: { description: `Equals data.${spec.subjectField} and the Kafka key.` },
            data: schemaRef(spec.data),
          },
        },
      ],
    },
    bindings: { kafka: { key: keySchema(spec, schemas), bindingVersion: KAFKA_BINDING } },
  };
}

function deadLetterMessage(): JsonSchema {
  const properties = Object.fromEntries(
    (Object.entries(DlqHeaders) as [keyof typeof DlqHeaders, string][]).map(([key, header]) => {
      const docs = DLQ_HEADER_DOCS[key];
      if (!docs) throw new Error(`DLQ header ${header} has no description in asyncapi.ts`);
      return [header, docs];
    }),
  );
  return {
    name: DEAD_LETTER,
    title: 'Refused message',
    summary: 'A message a Darman consumer could not apply, copied with its key, value and headers, plus why and where from.',
    headers: { type: 'object', required: Object.values(DlqHeaders), properties },
    payload: { description: 'The refused message value, byte for byte (it may not be JSON).' },
    bindings: { kafka: { key: { type: 'string', description: 'The refused message’s key, unchanged.' }, bindingVersion: KAFKA_BINDING } },
  };
}

/** The AsyncAPI 3 document of every topic, event type, payload schema, key and DLQ header of EVENT_REGISTRY. */
export function buildAsyncApiDocument(): AsyncApiDocument {
  const entries = Object.entries(EVENT_REGISTRY) as [TopicName, Record<string, EventTypeSpec>][];
  const schemas = schemasOf([EventEnvelope, ...entries.flatMap(([, types]) => Object.values(types).map((spec) => spec.data))]);

  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const messages: Record<string, JsonSchema> = {};
  let deadLetters = false;

  for (const [topic, types] of entries) {
    const id = channelId(topic);
    const direction = directionOf(topic);
    const keys = [...new Set(Object.values(types).map((spec) => spec.subjectField))];
    for (const [eventType, spec] of Object.entries(types)) {
      if (messages[eventType]) throw new Error(`event type ${eventType} is on two topics`);
      messages[eventType] = eventMessage(topic, eventType, spec, schemas);
    }
    channels[id] = {
      address: topic,
      title: topic,
      description: `${direction === 'receive' ? 'Published by insurer systems, consumed by Darman' : 'Published by Darman'}. Key = the envelope's subject: ${keys.length === 1 ? `data.${keys[0]}` : `per event type, ${keys.map((k) => `data.${k}`).join(', ')}`}.${CHANNEL_NOTES[topic] ? ` ${CHANNEL_NOTES[topic]}` : ''}`,
      messages: Object.fromEntries(Object.keys(types).map((eventType) => [eventType, refTo('components', 'messages', eventType)])),
      bindings: { kafka: { topic, partitions: TOPIC_PARTITIONS[topic], bindingVersion: KAFKA_BINDING } },
    };
    operations[`${direction}${upperFirst(id)}`] = {
      action: direction,
      channel: refTo('channels', id),
      summary: direction === 'receive' ? `Darman consumes ${topic}.` : `Darman publishes ${topic}.`,
      messages: Object.keys(types).map((eventType) => refTo('channels', id, 'messages', eventType)),
    };

    if (direction === 'receive') {
      deadLetters = true;
      const dlqId = `${id}Dlq`;
      channels[dlqId] = {
        address: dlqTopic(topic),
        title: dlqTopic(topic),
        description: `Messages of ${topic} that Darman could not apply. Written by Darman; insurer systems read it to learn what was refused and why.`,
        messages: { [DEAD_LETTER]: refTo('components', 'messages', DEAD_LETTER) },
        bindings: { kafka: { topic: dlqTopic(topic), bindingVersion: KAFKA_BINDING } },
      };
      operations[`send${upperFirst(dlqId)}`] = {
        action: 'send',
        channel: refTo('channels', dlqId),
        summary: `Darman copies a message of ${topic} it cannot apply here, with the reason in its headers.`,
        messages: [refTo('channels', dlqId, 'messages', DEAD_LETTER)],
      };
    }
  }
  if (deadLetters) messages[DEAD_LETTER] = deadLetterMessage();

  return {
    asyncapi: '3.0.0',
    info: { title: 'Darman event contract', version: '1.0.0', description: DESCRIPTION },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: '{bootstrap}',
        protocol: 'kafka',
        description: "The deployment's Kafka cluster (Darman's KAFKA_BROKERS).",
        variables: { bootstrap: { default: 'localhost:9092', description: 'A bootstrap broker, host:port.' } },
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}

const HEADER = '# Generated from libs/contracts (EVENT_REGISTRY) by `npm run docs:asyncapi`. Do not edit by hand.';

/** The document as YAML, unformatted (files.ts formats what is committed). */
export function asyncApiYaml(document: AsyncApiDocument): string {
  return `${HEADER}\n${stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}

/** The same document as JSON (the gateway serves it without a YAML parser at run time). */
export function asyncApiJson(document: AsyncApiDocument): string {
  return JSON.stringify(document, null, 2);
}
