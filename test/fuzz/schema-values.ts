// Values for the API fuzzer: schema-derived ones (valid-ish: examples, enums, formats, bounds) and hostile
// ones (wrong types, huge or empty strings, NUL, lone surrogates, other scripts, odd numbers, deep nesting).
import fc from 'fast-check';

/** The part of an OpenAPI 3 schema object the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export type Components = Record<string, Schema>;

/** Follows `$ref` and flattens `allOf` (enough for what @nestjs/swagger writes). */
export function resolve(schema: Schema | undefined, components: Components, depth = 0): Schema {
  if (!schema || depth > 16) return {};
  if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!], components, depth + 1);
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => resolve(s, components, depth + 1));
    return {
      ...Object.assign({}, ...parts),
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  if (schema.oneOf?.length || schema.anyOf?.length) return resolve((schema.oneOf ?? schema.anyOf)![0], components, depth + 1);
  return schema;
}

const persianDigits = '۰۱۲۳۴۵۶۷۸۹';

/** Strings that break naive code: control characters, lone surrogates, other scripts, injections, sizes. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufeff',
  '\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629',
  'بیمارستان\u200cشفا',
  persianDigits,
  '٠١٢٣٤٥٦٧٨٩',
  '😀👨‍👩‍👧',
  '\r\n\t',
  "' OR 1=1 --",
  '"; DROP TABLE claims; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '%00',
  '%',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '9007199254740993',
  'null',
  'true',
  '[]',
  '{}',
  '0499370899',
  '1722169',
  '2019-02-30',
  '0000-00-00T25:61:61Z',
  'x'.repeat(1_000),
  'ب'.repeat(5_000),
  'y'.repeat(70_000),
];

export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  -0.5,
  0.5,
  1.5,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 53),
  1e21,
  1e300,
  -1e300,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
];

/** Any JSON value of another type, nested objects included. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, 0, -1, 1e300, '', 'x'),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Nesting `depth` levels of arrays or objects around a value. */
export function nested(depth: number, asArray: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

const dateArb = fc
  .date({ min: new Date('2015-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A value the schema would accept, or nearly: examples, enums, formats, bounded numbers. */
export function validValue(schema: Schema, components: Components, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const examples: unknown[] = [s.example, s.default].filter((v) => v !== undefined);
  const withExamples = (arb: fc.Arbitrary<unknown>) =>
    examples.length ? fc.oneof({ arbitrary: fc.constantFrom(...examples), weight: 2 }, { arbitrary: arb, weight: 1 }) : arb;
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (depth > 6) return fc.constant(null);
  switch (s.type) {
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? Math.max(min + 1000, 1000);
      return withExamples(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items ?? {}, components, depth + 1), { maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const entries = Object.entries(props).map(([name, prop]) => {
        const arb = validValue(prop, components, depth + 1);
        return [name, required.has(name) ? arb : fc.option(arb, { nil: undefined, freq: 3 })] as const;
      });
      return fc.record(Object.fromEntries(entries)).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default: {
      if (s.format === 'uuid') return withExamples(fc.uuid());
      if (s.format === 'date') return withExamples(dateArb);
      if (s.format === 'date-time') return withExamples(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      if (s.format === 'email') return fc.constantFrom('member@example.com', 'a@b.ir');
      return withExamples(
        fc.oneof(
          fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 24, 64) }),
          fc.stringMatching(/^[0-9]{1,12}$/),
          fc.constantFrom('0499370910', '0499370902', '1001', '2001', '14543759', '15342268', 'شیراز', 'فارس'),
        ),
      );
    }
  }
}

/** A hostile value: another type, an edge string or number, a nested structure. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS), weight: 2 },
  { arbitrary: anyJson, weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 60 }).map((d) => nested(d, d % 2 === 0)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
);

/** A hostile string only (for path segments and query values). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 10_000)), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom(...HOSTILE_NUMBERS).map(String), weight: 1 },
);
