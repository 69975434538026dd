import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';

/**
 * A fast path for `plainToInstance` + `validateSync` on event payloads, which
 * were the largest CPU cost of consuming (about a quarter of the claims
 * service's time at 10,000 events/s): class-validator filters its whole
 * metadata store and builds error objects on every call, class-transformer
 * looks up metadata per key. Here both are read once per class.
 *
 * It answers only "certainly valid" (with the same instance class-transformer
 * would build) or "not sure". Every other outcome - an invalid value, or a
 * decorator feature this path does not model - goes to class-validator and
 * class-transformer themselves, so error codes and messages stay theirs, and
 * a difference between the two paths can only make a valid event slower,
 * never let an invalid one through. `compiled-validation.spec.ts` checks the
 * two paths agree over generated events of every type.
 */

type Class = new () => object;
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
// Stryker disable next-line StringLiteral: a symbol's description is only its name in a debugger.
const UNSURE = Symbol('unsure');
type Unsure = typeof UNSURE;

/** class-transformer's defaults, as its transform functions receive them (no transform of the contract reads them). */
// Stryker disable ObjectLiteral,BooleanLiteral: what the options hold reaches no answer while no transform reads them.
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  ignoreDecorators: false,
});
// Stryker restore ObjectLiteral,BooleanLiteral

interface PropertyPlan {
  /** class-transformer's @Type of the property, resolved on each use as class-transformer does. */
  typeMeta?: ReturnType<typeof defaultMetadataStorage.findTypeMetadata>;
  transforms: ((params: { value: unknown; key: string; obj: object; type: TransformationType; options: object }) => unknown)[];
}

type Converted = Class | ObjectConstructor | undefined;

/** Deeper JSON is left to class-transformer (which may itself run out of stack on it). */
const MAX_DEPTH = 32;

interface ConstraintCheck {
  property: string;
  constraints: unknown[];
  each: boolean;
  validateIf?: (object: object, value: unknown) => boolean;
  instances: ValidatorConstraintInterface[];
}

interface PropertyRules {
  property: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  /** @IsDefined first, then the other constraints, in class-validator's order. */
  checks: ConstraintCheck[];
  nested: boolean;
}

interface Compiled {
  /** False when the class uses a class-transformer feature this path does not model. */
  transformable: boolean;
  properties: Map<string, PropertyPlan | null>;
  /** Null when class-validator would refuse the class itself (no metadata: forbidUnknownValues). */
  rules: PropertyRules[] | null;
  /** False when a rule needs something this path does not model (async, promise validation). */
  validatable: boolean;
}

/** A class, as the metadata stores key them. */
type Target = Parameters<typeof defaultMetadataStorage.findTypeMetadata>[0];

const compiled = new Map<Target, Compiled>();

/**
 * Forgets every compiled class, for tests only: the mutation runs call it before each test
 * (scripts/lib/mutation-setup-contracts.mjs), so that each test compiles the classes it uses and
 * per-test coverage credits a rule to every test that meets it, not only to the first.
 */
// Stryker disable next-line all: a test hook; without it a test reads a plan compiled by an earlier test, the same plan.
export function forgetCompiledClasses(): void {
  compiled.clear();
}
/** Property plans kept per class, bounded so that arbitrary keys in input cannot grow memory. */
const MAX_PLANNED_KEYS = 256;

function compile(cls: Target): Compiled {
  let plan = compiled.get(cls);
  // Stryker disable next-line ConditionalExpression: the plan is a cache; compiling again gives the same plan.
  if (plan) return plan;
  const storage = defaultMetadataStorage;
  const transformable =
    storage.getStrategy(cls) === 'none' && storage.getExposedMetadatas(cls).length === 0 && storage.getExcludedMetadatas(cls).length === 0;
  let validatable = true;
  let rules: PropertyRules[] | null = null;
  const validation = getMetadataStorage();
  const metadatas: ValidationMetadata[] = validation.getTargetValidationMetadatas(cls, '', false, false, undefined);
  if (metadatas.length > 0) {
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const m of metadatas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
    rules = [...byProperty].map(([property, list]) => {
      const defined = list.filter((m) => m.type === ValidationTypes.IS_DEFINED);
      const others = list.filter((m) => m.type !== ValidationTypes.IS_DEFINED && m.type !== ValidationTypes.WHITELIST);
      const known = [ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION];
      if (others.some((m) => !known.includes(m.type))) validatable = false;
      const checks = [...defined, ...others.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)].map((m) => {
        // An async constraint answers with a promise, which `passes` leaves to class-validator.
        const constraints = validation.getTargetValidatorConstraints(m.constraintCls);
        return {
          property: m.propertyName,
          constraints: m.constraints,
          each: m.each === true,
          validateIf: (m as ValidationMetadata & { validateIf?: ConstraintCheck['validateIf'] }).validateIf,
          instances: constraints.map((c) => c.instance),
        };
      });
      return {
        property,
        conditions: others
          .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
          .map((m) => m.constraints[0] as PropertyRules['conditions'][number]),
        checks,
        nested: others.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
      };
    });
  }
  plan = { transformable, properties: new Map(), rules, validatable };
  compiled.set(cls, plan);
  return plan;
}

function propertyPlan(cls: Target, plan: Compiled, key: string): PropertyPlan | null | Unsure {
  const known = plan.properties.get(key);
  // Stryker disable next-line ConditionalExpression: a cache; planning the key again gives the same plan.
  if (known !== undefined) return known;
  const storage = defaultMetadataStorage;
  const typeMeta = storage.findTypeMetadata(cls, key);
  // Discriminators, and Map or Set containers, are left to class-transformer.
  const reflected = typeMeta?.reflectedType as unknown;
  if (typeMeta?.options?.discriminator || reflected === Map || reflected === Set) return UNSURE;
  const transforms = storage
    .findTransformMetadatas(cls, key, TransformationType.PLAIN_TO_CLASS)
    .filter((m) => !m.options?.groups?.length)
    .map((m) => m.transformFn as PropertyPlan['transforms'][number]);
  const result: PropertyPlan | null = typeMeta || transforms.length > 0 ? { typeMeta, transforms } : null;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on the cache's memory; a key not kept is planned again, the same.
  if (plan.properties.size < MAX_PLANNED_KEYS) plan.properties.set(key, result);
  return result;
}

/** An object as JSON.parse makes it (its prototype is an Object.prototype, of whichever realm). */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === null;
}

/** A JSON value as class-transformer copies it when no type is declared: plain objects and arrays, recursively. */
function plainCopy(value: unknown, depth: number): unknown {
  // Stryker disable next-line EqualityOperator: a stack guard; a level more or less changes no answer (the libraries decide beyond it).
  if (depth > MAX_DEPTH) return UNSURE;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    // Stryker disable next-line EqualityOperator: the index one past the end is not `in` the array, and skipped.
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const sub = plainCopy(value[i], depth + 1);
      if (sub === UNSURE) return UNSURE;
      out.push(sub);
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (!isPlainObject(value)) return UNSURE;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    // class-transformer trips over these (it reads `value.constructor`): left to it.
    if (key === '__proto__' || key === 'constructor') return UNSURE;
    // It skips keys that name a method (or a getter) of the new object.
    if (key in Object.prototype) continue;
    const sub = plainCopy((value as Record<string, unknown>)[key], depth + 1);
    if (sub === UNSURE) return UNSURE;
    copy[key] = sub;
  }
  return copy;
}

function convert(value: unknown, type: Converted, arrayType: unknown, depth: number): unknown {
  // Stryker disable next-line EqualityOperator: a stack guard; a level more or less changes no answer (the libraries decide beyond it).
  if (depth > MAX_DEPTH) return UNSURE;
  if (Array.isArray(value)) {
    if (arrayType !== undefined && arrayType !== Array && arrayType !== Object) return UNSURE;
    const out: unknown[] = [];
    // Stryker disable next-line EqualityOperator: the index one past the end is not `in` the array, and skipped.
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue; // class-transformer's forEach skips holes
      const converted = convert(value[i], type, undefined, depth + 1);
      if (converted === UNSURE) return UNSURE;
      out.push(converted);
    }
    return out;
  }
  if (type === String || type === Number || type === Boolean || type === (Date as unknown) || type === (Buffer as unknown)) return UNSURE;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a shortcut; plainCopy copies a primitive as it is, toInstance refuses one.
  if (typeof value !== 'object' || value === null) return value;
  if (type === undefined || type === Object) return plainCopy(value, depth);
  return toInstance(type as Class, value, depth);
}

/** `plainToInstance(cls, plain)` for JSON input, or UNSURE. */
function toInstance(cls: Class, plain: object, depth: number): object | Unsure {
  // Stryker disable next-line EqualityOperator: a stack guard; a level more or less changes no answer (the libraries decide beyond it).
  if (depth > MAX_DEPTH || !isPlainObject(plain)) return UNSURE;
  const plan = compile(cls);
  if (!plan.transformable) return UNSURE;
  const target = new cls() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (key === '__proto__' || key === 'constructor') return UNSURE;
    const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, key);
    if ((descriptor && !descriptor.set) || target[key] instanceof Function) continue;
    const property = propertyPlan(cls, plan, key);
    if (property === UNSURE) return UNSURE;
    const raw = (plain as Record<string, unknown>)[key];
    const typeMeta = property?.typeMeta;
    const type = (
      typeMeta
        ? typeMeta.typeFunction
          ? typeMeta.typeFunction({ newObject: target, object: plain as Record<string, unknown>, property: key })
          : typeMeta.reflectedType
        : undefined
    ) as Converted;
    let value = convert(raw, type, Array.isArray(raw) ? typeMeta?.reflectedType : undefined, depth + 1);
    if (value === UNSURE) return UNSURE;
    for (const transform of property?.transforms ?? []) {
      value = transform({ value, key, obj: plain, type: TransformationType.PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });
    }
    target[key] = value;
  }
  return target;
}

function passes(check: ConstraintCheck, object: object, value: unknown): boolean | Unsure {
  if (check.validateIf && !check.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
    property: check.property,
    object,
    value,
    constraints: check.constraints as unknown[],
  };
  // The instance was built by toInstance: its arrays are dense, and it holds no Set or Map.
  const values: unknown[] = check.each && Array.isArray(value) ? value : [value];
  for (const instance of check.instances) {
    for (let i = 0; i < values.length; i++) {
      const ok = instance.validate(values[i], args);
      if (ok instanceof Promise) return UNSURE;
      if (!ok) return false;
    }
  }
  return true;
}

function nestedValid(value: unknown): boolean | Unsure {
  if (value === undefined) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const ok = nestedValid(value[i]);
      if (ok !== true) return ok;
    }
    return true;
  }
  // Stryker disable next-line ConditionalExpression: a shortcut; a primitive's class has no rules, which isValid refuses too.
  if (value instanceof Object) return isValid(value);
  return false;
}

/** `validateSync(object).length === 0`, or UNSURE. */
function isValid(object: object): boolean | Unsure {
  const plan = compile(object.constructor);
  if (!plan.validatable) return UNSURE;
  // Stryker disable next-line ConditionalExpression: without the guard the loop over no rules throws, which validInstance also answers with undefined.
  if (!plan.rules) return false;
  for (const rule of plan.rules) {
    const value = (object as Record<string, unknown>)[rule.property];
    let applies = true;
    for (const condition of rule.conditions) applies = condition(object, value) && applies;
    if (!applies) continue;
    for (const check of rule.checks) {
      const ok = passes(check, object, value);
      if (ok !== true) return ok;
    }
    if (rule.nested) {
      const ok = nestedValid(value);
      if (ok !== true) return ok;
    }
  }
  return true;
}

/**
 * The instance `plainToInstance(cls, plain)` builds, when `validateSync` would
 * find it valid; undefined when it would not or this path cannot tell (ask
 * class-transformer and class-validator then).
 */
export function validInstance<T extends object>(cls: new () => T, plain: unknown): T | undefined {
  // What is not a plain JSON object (an array, a primitive, null) toInstance leaves to the libraries.
  try {
    const instance = toInstance(cls, plain as object, 0);
    if (instance === UNSURE) return undefined;
    return isValid(instance) === true ? (instance as T) : undefined;
  } catch {
    // Whatever went wrong (a transform or validator that throws), the libraries decide and report it.
  }
  return undefined;
}
