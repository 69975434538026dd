import { toAsciiDigits } from '@darman/persian';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { validInstance } from './compiled-validation.js';
import { EventEnvelope } from './envelope.js';
import { EVENT_REGISTRY } from './registry.js';
import { ALL_TOPICS, type TopicName } from './topics.js';
import { NATIONAL_CODE_CONSTRAINT } from './validators.js';

/** The version of every event type of this contract; a new version of a type comes with its own payload class. */
export const CONTRACT_EVENT_VERSION = 1;

/** Stable codes carried in the DLQ's `x-error-code` header. */
export enum EventErrorCode {
  MalformedJson = 'MALFORMED_JSON',
  MissingField = 'MISSING_FIELD',
  InvalidField = 'INVALID_FIELD',
  InvalidNationalCode = 'INVALID_NATIONAL_CODE',
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  /** An `eventVersion` this contract does not define (every type is at version 1): never applied as another version. */
  UnsupportedEventVersion = 'UNSUPPORTED_EVENT_VERSION',
  UnknownTopic = 'UNKNOWN_TOPIC',
  KeyMismatch = 'KEY_MISMATCH',
  InvariantViolated = 'INVARIANT_VIOLATED',
  /** The event is valid on its own but contradicts state already applied (set by consumers). */
  StateConflict = 'STATE_CONFLICT',
  /** The handler failed on this event repeatedly for a non-transient reason. */
  HandlerFailed = 'HANDLER_FAILED',
}

export interface ValidEvent<TData extends object = Record<string, unknown>> extends EventEnvelope<TData> {
  data: TData;
}

export type EventValidationResult = { ok: true; event: ValidEvent } | { ok: false; code: EventErrorCode; message: string };

interface SelfChecking {
  invariantViolations(): string[];
}

function hasInvariants(value: object): value is SelfChecking {
  return typeof (value as Partial<SelfChecking>).invariantViolations === 'function';
}

interface FlatError {
  path: string;
  constraint: string;
  message: string;
  missing: boolean;
}

function flatten(errors: ValidationError[], prefix = ''): FlatError[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) => ({
      path,
      constraint,
      message: prefix ? `${prefix}.${message}` : message,
      missing: e.value === undefined || e.value === null,
    }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

function classify(errors: FlatError[]): { code: EventErrorCode; message: string } {
  const missing = errors.filter((e) => e.missing);
  const message = errors.map((e) => e.message).join('; ');
  if (missing.length > 0) {
    return { code: EventErrorCode.MissingField, message: `missing ${[...new Set(missing.map((e) => e.path))].join(', ')}` };
  }
  if (errors.some((e) => e.constraint === NATIONAL_CODE_CONSTRAINT)) {
    return { code: EventErrorCode.InvalidNationalCode, message };
  }
  return { code: EventErrorCode.InvalidField, message };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function isTopic(topic: string): topic is TopicName {
  return (ALL_TOPICS as readonly string[]).includes(topic);
}

/**
 * Validates a message value against the contract of its topic. `key` is the
 * Kafka message key (null when the producer set none).
 */
export function validateEvent(
  topic: string,
  value: Buffer | string | null,
  key?: string | null,
  options: ValidateEventOptions = {},
): EventValidationResult {
  if (!isTopic(topic)) return { ok: false, code: EventErrorCode.UnknownTopic, message: `no contract for topic ${topic}` };
  if (value === null) return { ok: false, code: EventErrorCode.MalformedJson, message: 'empty message value' };
  let raw: unknown;
  try {
    raw = JSON.parse(typeof value === 'string' ? value : UTF8.decode(value));
  } catch (error) {
    return { ok: false, code: EventErrorCode.MalformedJson, message: `not valid UTF-8 JSON: ${(error as Error).message}` };
  }
  return validateEventObject(topic, raw, key, options);
}

/** Options for tests: `compiled: false` forces class-transformer and class-validator for every event. */
export interface ValidateEventOptions {
  compiled?: boolean;
}

/**
 * `plainToInstance` + `validateSync`, through the compiled fast path
 * (compiled-validation.ts) when it can vouch for the value, else through the
 * libraries themselves, which also give the error and its message.
 */
function instanceOf<T extends object>(
  cls: new () => T,
  plain: unknown,
  prefix: string,
  options: ValidateEventOptions,
): { ok: true; value: T } | { ok: false; code: EventErrorCode; message: string } {
  const fast = options.compiled === false ? undefined : validInstance(cls, plain);
  if (fast) return { ok: true, value: fast };
  let instance: T;
  let errors: FlatError[];
  try {
    instance = plainToInstance(cls, plain);
    errors = flatten(validateSync(instance), prefix);
  } catch (error) {
    // e.g. a "constructor" key inside a nested object, which class-transformer tries to call.
    return { ok: false, code: EventErrorCode.InvalidField, message: `${prefix || 'event'} cannot be read: ${(error as Error).message}` };
  }
  return errors.length > 0 ? { ok: false, ...classify(errors) } : { ok: true, value: instance };
}

/** NUL, or a UTF-16 surrogate without its pair: JSON carries them, PostgreSQL's text and jsonb refuse them. */
// Matching NUL is the point of this pattern (the same as libs/platform's input guard, which contracts do not import).
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first string (value or key) PostgreSQL cannot store, or undefined; iterative, for any depth. */
function unstorablePath(raw: object): string | undefined {
  const pending: [unknown, string][] = [[raw, '']];
  while (pending.length) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return path;
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) return childPath;
        pending.push([child, childPath]);
      }
    }
  }
  return undefined;
}

export function validateEventObject(
  topic: TopicName,
  raw: unknown,
  key?: string | null,
  options: ValidateEventOptions = {},
): EventValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, code: EventErrorCode.MalformedJson, message: 'message value must be a JSON object' };
  }
  // Refused here, not by the handler's SQL (which made it HANDLER_FAILED after retries).
  const unstorable = unstorablePath(raw);
  if (unstorable !== undefined) {
    return { ok: false, code: EventErrorCode.InvalidField, message: `${unstorable} contains NUL or a lone surrogate` };
  }
  const checkedEnvelope = instanceOf(EventEnvelope, raw, '', options);
  if (!checkedEnvelope.ok) return checkedEnvelope;
  const envelope = checkedEnvelope.value;

  const spec = EVENT_REGISTRY[topic][envelope.eventType];
  if (!spec) {
    return { ok: false, code: EventErrorCode.UnknownEventType, message: `${envelope.eventType} is not an event type of ${topic}` };
  }
  if (envelope.eventVersion !== CONTRACT_EVENT_VERSION) {
    return {
      ok: false,
      code: EventErrorCode.UnsupportedEventVersion,
      message: `${envelope.eventType} version ${envelope.eventVersion} is not in the contract (it defines version ${CONTRACT_EVENT_VERSION})`,
    };
  }
  const checkedData = instanceOf(spec.data, envelope.data, 'data', options);
  if (!checkedData.ok) return checkedData;
  const data = checkedData.value;

  envelope.subject = toAsciiDigits(envelope.subject);
  const subjectValue = (data as Record<string, unknown>)[spec.subjectField];
  if (subjectValue !== envelope.subject) {
    return { ok: false, code: EventErrorCode.KeyMismatch, message: `subject must equal data.${spec.subjectField}` };
  }
  if (key !== undefined && key !== null && toAsciiDigits(key) !== envelope.subject) {
    return { ok: false, code: EventErrorCode.KeyMismatch, message: 'message key must equal subject' };
  }
  if (hasInvariants(data)) {
    const violations = data.invariantViolations();
    if (violations.length > 0) return { ok: false, code: EventErrorCode.InvariantViolated, message: violations.join('; ') };
  }
  return { ok: true, event: Object.assign(envelope, { data }) as ValidEvent };
}
