import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, IS_URL, MAX, MIN, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { NATIONAL_CODE_CONSTRAINT } from '../validators.js';

/** A JSON Schema (draft-07, the AsyncAPI schema format) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

type Constructor = abstract new (...args: never[]) => object;

/** The patterns of the custom validators in validators.ts, as JSON Schema; asyncapi.spec.ts checks they agree with the validators. */
export const FORMATS = {
  nationalCode: {
    type: 'string',
    pattern: '^[0-9]{10}$',
    description: 'National code: 10 digits with a valid check digit.',
  },
  calendarDate: { type: 'string', format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
  dateTimeWithOffset: {
    type: 'string',
    format: 'date-time',
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$',
    description: 'ISO-8601 date-time with an offset (Z or ±hh:mm).',
  },
  sheba: { type: 'string', pattern: '^IR[0-9]{24}$', description: 'Sheba (Iranian IBAN): IR and 24 digits whose mod-97 check holds.' },
} as const satisfies Record<string, JsonSchema>;

type Converter = JsonSchema | ((meta: ValidationMetadata) => JsonSchema);

/**
 * Constraints whose class-validator-jsonschema conversion is missing or off:
 * the custom decorators of validators.ts (by constraint name), and built-ins
 * whose default would lose information (Min/Max force `type: number` over
 * IsInt's `integer`; IsDefined adds `not: null` where `required` already says it).
 */
const CONVERTERS: Record<string, Converter> = {
  [NATIONAL_CODE_CONSTRAINT]: FORMATS.nationalCode,
  isCalendarDate: FORMATS.calendarDate,
  isDateTimeWithOffset: FORMATS.dateTimeWithOffset,
  isSheba: FORMATS.sheba,
  isOnOrAfter: (meta) => ({ description: `Not before ${String(meta.constraints[0])}.` }),
  [MIN]: (meta) => ({ minimum: meta.constraints[0] }),
  [MAX]: (meta) => ({ maximum: meta.constraints[0] }),
  [IS_URL]: { type: 'string', format: 'uri' },
  [ValidationTypes.IS_DEFINED]: {},
  // Reached for any constraint without a converter: a new validator must say what it means as JSON Schema.
  [ValidationTypes.CUSTOM_VALIDATION]: (meta) => {
    throw new Error(
      `no JSON Schema for the constraint "${meta.type}" of ${(meta.target as Constructor).name}.${meta.propertyName}: add it to libs/contracts/src/asyncapi/schemas.ts`,
    );
  },
};

const REF_PREFIX = '#/components/schemas/';

type Options = NonNullable<Parameters<typeof targetConstructorToSchema>[1]>;

const OPTIONS: Options = {
  refPointerPrefix: REF_PREFIX,
  classValidatorMetadataStorage: getMetadataStorage(),
  classTransformerMetadataStorage: defaultMetadataStorage,
  additionalConverters: CONVERTERS as Options['additionalConverters'],
};

/** TypeScript types (emitted as `design:type`) for properties whose validators say nothing about the type, e.g. `@IsDefined() params: Record<…>`. */
const DESIGN_TYPES = new Map<unknown, string>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Object, 'object'],
  [Array, 'array'],
]);

function untyped(schema: JsonSchema): boolean {
  return !('type' in schema) && !('$ref' in schema) && !('allOf' in schema) && !('oneOf' in schema) && !('anyOf' in schema);
}

/** `type` first and `description` last, whatever order the decorators came in. */
function tidy({ type, description, ...rest }: JsonSchema): JsonSchema {
  return { ...(type === undefined ? {} : { type }), ...rest, ...(description === undefined ? {} : { description }) };
}

/** One class as JSON Schema, from its class-validator decorators. */
function classSchema(cls: Constructor): JsonSchema {
  const { properties = {}, required, ...rest } = targetConstructorToSchema(cls, OPTIONS) as JsonSchema;
  const tidied = Object.entries(properties as Record<string, JsonSchema>).map(([name, property]) => {
    const type = DESIGN_TYPES.get(Reflect.getMetadata('design:type', cls.prototype, name));
    return [name, tidy(untyped(property) && type ? { type, ...property } : property)] as const;
  });
  return tidy({ ...rest, ...(required === undefined ? {} : { required }), properties: Object.fromEntries(tidied) });
}

/** The classes a class validates nested (`@ValidateNested`), resolved as class-transformer's `@Type` or the TypeScript type says. */
function nestedClasses(cls: Constructor): Constructor[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .filter((meta) => meta.type === ValidationTypes.NESTED_VALIDATION)
    .map((meta) => {
      const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, meta.propertyName);
      return (typeMeta ? typeMeta.typeFunction() : Reflect.getMetadata('design:type', cls.prototype, meta.propertyName)) as Constructor;
    });
}

/**
 * JSON Schemas of the classes and of every class they nest, keyed by class
 * name in the order first reached (the `$ref`s point at these names).
 */
export function schemasOf(roots: readonly Constructor[]): Record<string, JsonSchema> {
  const seen = new Map<string, Constructor>();
  const schemas: Record<string, JsonSchema> = {};
  const queue = [...roots];
  for (let cls = queue.shift(); cls; cls = queue.shift()) {
    const known = seen.get(cls.name);
    if (known === cls) continue;
    if (known) throw new Error(`two contract classes are named ${cls.name}: schema names must be unique`);
    seen.set(cls.name, cls);
    schemas[cls.name] = classSchema(cls);
    queue.push(...nestedClasses(cls));
  }
  return schemas;
}

export function schemaRef(cls: Constructor): JsonSchema {
  return { $ref: `${REF_PREFIX}${cls.name}` };
}
