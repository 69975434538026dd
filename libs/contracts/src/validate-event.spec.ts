import { randomUUID } from 'node:crypto';
import { withNationalCodeCheckDigit } from '@darman/persian';
import { Topics } from './topics.js';
import { EventErrorCode, validateEvent, type ValidateEventOptions } from './validate-event.js';

const patient = withNationalCodeCheckDigit('228112345');
const main = withNationalCodeCheckDigit('228112346');

function claimRegistered(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    eventId: randomUUID(),
    eventType: 'ClaimRegistered',
    eventVersion: 1,
    occurredAt: '2019-11-03T08:15:00+03:30',
    source: 'asmari-core',
    subject: '15342268',
    sequence: 1,
    data: {
      claimId: '15342268',
      contractNumber: '1722169',
      patientNationalCode: patient,
      mainMemberNationalCode: main,
      kind: 'REIMBURSEMENT',
      reason: 'آزمایش',
      admissionDate: '2019-10-18',
      registeredAt: '2019-11-03',
      requestedAmount: 3_146_000,
      ...data,
    },
    ...overrides,
  };
}

const run = (value: unknown, key: string | null = '15342268', options?: ValidateEventOptions) =>
  validateEvent(Topics.insurerClaims, typeof value === 'string' ? value : JSON.stringify(value), key, options);

describe('validateEvent', () => {
  it('accepts a valid ClaimRegistered and returns its typed data', () => {
    const result = run(claimRegistered());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.data).toMatchObject({ claimId: '15342268', requestedAmount: 3_146_000 });
  });

  it('normalises Persian digits in national codes before checking them', () => {
    const persian = patient.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
    const result = run(claimRegistered({}, { patientNationalCode: persian }));
    expect(result.ok && result.event.data).toMatchObject({ patientNationalCode: patient });
  });

  it.each([
    ['not JSON', '{"eventId":', EventErrorCode.MalformedJson],
    ['a JSON array', '[1,2]', EventErrorCode.MalformedJson],
    ['no eventId', claimRegistered({ eventId: undefined }), EventErrorCode.MissingField],
    ['a non-UUID eventId', claimRegistered({ eventId: 'abc' }), EventErrorCode.InvalidField],
    ['occurredAt without offset', claimRegistered({ occurredAt: '2019-11-03T08:15:00' }), EventErrorCode.InvalidField],
    ['eventVersion 0', claimRegistered({ eventVersion: 0 }), EventErrorCode.InvalidField],
    ['an unknown eventType', claimRegistered({ eventType: 'ClaimExploded' }), EventErrorCode.UnknownEventType],
    ['a missing data field', claimRegistered({}, { reason: undefined }), EventErrorCode.MissingField],
    ['a bad national code', claimRegistered({}, { patientNationalCode: '1234567890' }), EventErrorCode.InvalidNationalCode],
    ['negative money', claimRegistered({}, { requestedAmount: -1 }), EventErrorCode.InvalidField],
    ['money over 10^15', claimRegistered({}, { requestedAmount: 1e15 + 1 }), EventErrorCode.InvalidField],
    ['an impossible date', claimRegistered({}, { admissionDate: '2019-02-30' }), EventErrorCode.InvalidField],
    ['subject differing from claimId', claimRegistered({ subject: '999' }), EventErrorCode.KeyMismatch],
    // PostgreSQL's text and jsonb cannot store these; the handler's SQL used to refuse them as HANDLER_FAILED.
    ['a NUL in a string', claimRegistered({}, { reason: 'a\u0000b' }), EventErrorCode.InvalidField],
    ['a lone high surrogate', claimRegistered({}, { reason: 'x\ud800' }), EventErrorCode.InvalidField],
    ['a lone low surrogate', claimRegistered({ source: '\udfffy' }), EventErrorCode.InvalidField],
    ['a NUL in a key', { ...claimRegistered(), 'a\u0000': 1 }, EventErrorCode.InvalidField],
  ])('rejects %s with its error code', (_name, value, code) => {
    const result = run(value);
    expect(result).toMatchObject({ ok: false, code });
  });

  it('names where the unstorable string is and keeps a surrogate pair (an emoji) valid', () => {
    expect(run(claimRegistered({}, { reason: 'x\u0000' }))).toMatchObject({
      ok: false,
      message: 'data.reason contains NUL or a lone surrogate',
    });
    expect(run(claimRegistered({}, { reason: 'عینک 😀' })).ok).toBe(true);
  });

  it('rejects a message whose key differs from the subject', () => {
    expect(run(claimRegistered(), 'other')).toMatchObject({ ok: false, code: EventErrorCode.KeyMismatch });
  });

  it('rejects ClaimCalculated whose payable is not covered minus franchise', () => {
    const event = {
      ...claimRegistered(),
      eventType: 'ClaimCalculated',
      data: {
        claimId: '15342268',
        deductionsAmount: 0,
        coveredAmount: 3_146_000,
        franchiseAmount: 314_600,
        payableAmount: 2_831_401,
        issuedAt: '2019-11-03',
      },
    };
    expect(run(event)).toMatchObject({ ok: false, code: EventErrorCode.InvariantViolated });
    expect(run({ ...event, data: { ...event.data, payableAmount: 2_831_400 } }).ok).toBe(true);
  });

  it('refuses, instead of throwing on, a "constructor" key inside a nested object (a poison message would stall its partition)', () => {
    const value = JSON.stringify(claimRegistered()).replace('"claimId":', '"extra":{"constructor":{}},"claimId":');
    expect(run(value)).toMatchObject({ ok: false, code: EventErrorCode.InvalidField, message: expect.stringContaining('cannot be read') });
  });

  it.each([40, 3_000, 20_000])('answers, and does not throw on, a payload nested %i levels deep', (depth) => {
    const value = JSON.stringify(claimRegistered()).replace('"claimId":', `"x":${'['.repeat(depth)}${']'.repeat(depth)},"claimId":`);
    const slow = run(value, '15342268', { compiled: false });
    expect(run(value)).toEqual(slow);
    if (depth === 20_000) expect(slow).toMatchObject({ ok: false, code: EventErrorCode.InvalidField });
  });

  it('refuses an eventVersion the contract does not define instead of applying it as version 1', () => {
    for (const eventVersion of [2, 7]) {
      expect(run(claimRegistered({ eventVersion }))).toMatchObject({ ok: false, code: EventErrorCode.UnsupportedEventVersion });
    }
    expect(run(claimRegistered({ eventVersion: 1 })).ok).toBe(true);
  });

  it('refuses a provider website that is not an http(s) URL (it is served to members as a link)', () => {
    const provider = (website: string) =>
      validateEvent(
        Topics.insurerProviders,
        JSON.stringify({
          eventId: randomUUID(),
          eventType: 'ProviderUpserted',
          eventVersion: 1,
          occurredAt: '2026-01-01T00:00:00Z',
          source: 'asmari-core',
          subject: 'P1',
          data: {
            providerId: 'P1',
            name: 'شفا',
            type: 'CLINIC',
            city: 'شیراز',
            address: 'زند',
            website,
            issuesReferral: true,
            onlineReferral: false,
            contracted: true,
          },
        }),
        'P1',
      );
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>', 'ftp://x.ir', 'https://a b']) {
      expect({ bad, result: provider(bad) }).toMatchObject({ bad, result: { ok: false, code: EventErrorCode.InvalidField } });
    }
    expect(provider('https://shafa.example.ir/fa').ok).toBe(true);
    expect(provider('http://shafa.example.ir').ok).toBe(true);
  });

  it('rejects an event on a topic that has no contract', () => {
    expect(validateEvent('nope.v1', '{}')).toMatchObject({ ok: false, code: EventErrorCode.UnknownTopic });
  });
});
