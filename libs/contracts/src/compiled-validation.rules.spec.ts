// The fast path of event validation (compiled-validation.ts) over the decorator features it
// models and those it leaves to the libraries. Whatever it answers must be what
// class-transformer + class-validator answer (`agree`); where it models a feature it
// must vouch for valid input itself (a fallback would be correct but cost the
// consumer's throughput); where it does not, it must leave the answer to them.
import 'reflect-metadata';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatePromise,
  ValidatorConstraint,
  validateSync,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { validInstance } from './compiled-validation.js';

/** The fast path's answer, checked against the libraries': a vouched instance is valid and is the one they build. */
function agree<T extends object>(cls: new () => T, plain: unknown): T | undefined {
  const fast = validInstance(cls, structuredClone(plain));
  if (fast !== undefined) {
    const slow = plainToInstance(cls, structuredClone(plain) as object);
    expect(validateSync(slow)).toEqual([]);
    expect(fast).toStrictEqual(slow);
  }
  return fast;
}

class Geo {
  @IsInt() lat!: number;
}

class Place {
  @IsString() name!: string;
  @IsOptional() @IsInt() @Min(0) floor?: number;
  @ValidateNested() @Type(() => Geo) geo!: Geo;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Geo) corners?: Geo[];
  @IsOptional() @IsString({ each: true }) tags?: string[];
}

const place = { name: 'شفا', floor: 2, geo: { lat: 35 }, corners: [{ lat: 1 }, { lat: 2 }], tags: ['a', 'b'] };

describe('what the fast path vouches for itself', () => {
  it('a valid object with nested classes, arrays of them, each-validated arrays and optional fields', () => {
    const out = agree(Place, place);
    expect(out).toBeInstanceOf(Place);
    expect(out!.geo).toBeInstanceOf(Geo);
    expect(out!.corners![1]).toBeInstanceOf(Geo);
    expect(agree(Place, { name: 'x', geo: { lat: 0 } })).toBeInstanceOf(Place);
    expect(agree(Place, { ...place, floor: null })).toBeInstanceOf(Place);
  });

  it('undeclared keys and untyped nested JSON, copied as class-transformer copies them', () => {
    const out = agree(Place, { ...place, extra: { list: [1, { deep: 'x' }], n: null }, more: [[1], []] });
    expect(out).toBeInstanceOf(Place);
    expect((out as unknown as { extra: unknown }).extra).toEqual({ list: [1, { deep: 'x' }], n: null });
  });

  it('skips keys that name a method of Object.prototype inside untyped JSON, as class-transformer does', () => {
    const out = agree(Place, { ...place, extra: JSON.parse('{"toString": 1, "ok": 2}') as object });
    expect((out as unknown as { extra: unknown }).extra).toEqual({ ok: 2 });
  });
});

describe('what it refuses (and the libraries refuse too)', () => {
  it.each([
    ['a wrong type', { ...place, name: 5 }],
    ['a failed second constraint', { ...place, floor: -1 }],
    ['an invalid nested object', { ...place, geo: { lat: 'x' } }],
    ['an invalid element of a nested array', { ...place, corners: [{ lat: 1 }, { lat: 'x' }] }],
    ['an invalid element of an each-validated array', { ...place, tags: ['a', 3] }],
    ['a nested value that is not an object', { ...place, geo: 5 }],
    ['a null nested object', { name: 'x', geo: null }],
  ])('%s', (_, plain) => {
    expect(agree(Place, plain)).toBeUndefined();
    expect(validateSync(plainToInstance(Place, plain)).length).toBeGreaterThan(0);
  });
});

class Exposed {
  @Expose() @IsString() a!: string;
}
@Exclude()
class Excluded {
  @Expose() @IsString() a!: string;
}
class ExcludedField {
  @IsString() a!: string;
  @Exclude() b?: string;
}
class Bare {
  a!: string;
}
class WithPromise {
  @ValidatePromise() @IsInt() a!: number;
}
@ValidatorConstraint({ async: true })
class AsyncRule implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
class WithAsync {
  @Validate(AsyncRule) a!: string;
}
class Shape {
  @IsString() kind!: string;
}
class Circle extends Shape {}
class WithDiscriminator {
  @ValidateNested()
  @Type(() => Shape, { discriminator: { property: 'kind', subTypes: [{ value: Circle, name: 'circle' }] } })
  shape!: Shape;
}
class WithSet {
  @ValidateNested() @Type(() => Geo) geos!: Set<Geo>;
}
class WithDate {
  @Type(() => Date) @IsDefined() at!: Date;
}
class WithString {
  @Type(() => String) @IsString() a!: string;
}
class Deep {
  @IsOptional() @ValidateNested() @Type(() => Deep) next?: Deep;
}

describe('what it leaves to the libraries', () => {
  it.each([
    ['an exposed property', Exposed, { a: 'x' }],
    ['a class-level exclusion strategy', Excluded, { a: 'x' }],
    ['an excluded property', ExcludedField, { a: 'x', b: 'y' }],
    ['a promise validation', WithPromise, { a: 1 }],
    ['an async constraint', WithAsync, { a: 'x' }],
    ['a discriminated type', WithDiscriminator, { shape: { kind: 'circle' } }],
    ['a Set-typed property', WithSet, { geos: [{ lat: 1 }] }],
    ['a Date-typed property', WithDate, { at: '2026-01-01T00:00:00Z' }],
    ['a String-typed property', WithString, { a: 'x' }],
    ['a key that class-transformer reads as the prototype', Place, JSON.parse(`{"name":"x","geo":{"lat":1},"__proto__":{"a":1}}`)],
    ['a "constructor" key', Place, { name: 'x', geo: { lat: 1 }, constructor: 1 }],
    ['a nested "constructor" key in untyped JSON', Place, { ...place, extra: { constructor: 1 } }],
    ['an untyped "__proto__" key', Place, { ...place, extra: JSON.parse('{"__proto__": 1}') }],
  ])('%s', (_, cls, plain) => {
    expect(validInstance(cls as new () => object, plain)).toBeUndefined();
  });

  it('a class without validation rules, which class-validator refuses as an unknown value', () => {
    expect(validInstance(Bare, { a: 'x' })).toBeUndefined();
    expect(validateSync(plainToInstance(Bare, { a: 'x' }))[0]?.constraints).toHaveProperty('unknownValue');
  });

  it('input that is not a JSON object', () => {
    for (const plain of [null, undefined, 'x', 5, [place], Object.create(null) as object, new Place()])
      expect(validInstance(Place, plain)).toBeUndefined();
  });

  it('nesting deeper than 32 levels, while 30 are vouched for', () => {
    const chain = (n: number): object => (n === 0 ? {} : { next: chain(n - 1) });
    expect(agree(Deep, chain(30))).toBeInstanceOf(Deep);
    expect(validInstance(Deep, chain(40))).toBeUndefined();
    const untyped = (n: number): unknown => (n === 0 ? 1 : [untyped(n - 1)]);
    expect(agree(Place, { ...place, extra: untyped(20) })).toBeInstanceOf(Place);
    expect(validInstance(Place, { ...place, extra: untyped(40) })).toBeUndefined();
  });
});

class Trimmed {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() name!: string;
  @Transform(() => 'grouped', { groups: ['admin'] }) @IsOptional() @IsString() note?: string;
  @Transform(({ key, obj }) => `${key}:${String((obj as Record<string, unknown>)['name'])}`) @IsString() label!: string;
}

class Thrower {
  @Transform(() => {
    throw new Error('broken transform');
  })
  @Allow()
  a!: unknown;
}

describe('transforms', () => {
  it('applies the transforms class-transformer applies, with the key and the source object, and not group-only ones', () => {
    const out = agree(Trimmed, { name: '  x ', note: 'n', label: '?' });
    expect(out).toEqual(Object.assign(new Trimmed(), { name: 'x', note: 'n', label: 'label:  x ' }));
  });

  it('leaves a transform that throws to the libraries', () => {
    expect(validInstance(Thrower, { a: 1 })).toBeUndefined();
  });
});

@ValidatorConstraint({ name: 'sameAs' })
class SameAs implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [other] = args.constraints as [string];
    return args.targetName === 'Pair' && args.property === 'b' && value === (args.object as Record<string, unknown>)[other];
  }
}

class Pair {
  @IsInt() a!: number;
  @Validate(SameAs, ['a']) b!: number;
}

class Conditional {
  @IsString() kind!: string;
  @ValidateIf((o: Conditional) => o.kind === 'card') @IsString() card?: string;
  @ValidateIf((o: Conditional) => o.kind !== 'none') @ValidateIf((o: Conditional) => o.kind !== 'cash') @IsInt() amount?: number;
}

describe('constraint arguments and conditions', () => {
  it('gives a custom constraint its constraints, the object, the property and the class name', () => {
    expect(agree(Pair, { a: 1, b: 1 })).toBeInstanceOf(Pair);
    expect(agree(Pair, { a: 1, b: 2 })).toBeUndefined();
  });

  it('checks a conditional property only when every condition holds', () => {
    expect(agree(Conditional, { kind: 'card', card: 'x', amount: 1 })).toBeInstanceOf(Conditional);
    expect(agree(Conditional, { kind: 'card', card: 5, amount: 1 })).toBeUndefined();
    expect(agree(Conditional, { kind: 'none', card: 5 })).toBeInstanceOf(Conditional);
    expect(agree(Conditional, { kind: 'cash' })).toBeInstanceOf(Conditional);
    expect(agree(Conditional, { kind: 'card', card: 'x' })).toBeUndefined();
  });
});

class Required {
  @IsDefined() a!: unknown;
  @Allow() free?: unknown;
  @IsOptional() @IsString({ groups: ['admin'] }) adminOnly?: unknown;
  @IsOptional() @IsInt({ always: true }) always?: unknown;
}

class Gated {
  @ValidateIf((o: Gated) => o.on === true) @IsString() text?: unknown;
  @IsDefined() on!: unknown;
}

describe('defined values, whitelisted and grouped rules', () => {
  it('refuses a missing @IsDefined value, and vouches for it when present, whatever an @Allow field holds', () => {
    expect(agree(Required, { free: 1 })).toBeUndefined();
    expect(validateSync(plainToInstance(Required, { free: 1 })).map((e) => e.property)).toEqual(['a']);
    expect(agree(Required, { a: 'x', free: { any: 'thing' } })).toBeInstanceOf(Required);
    expect(agree(Required, { a: null })).toBeUndefined();
    expect(agree(Required, { a: 0 })).toBeInstanceOf(Required);
  });

  it('gives the verdict class-validator gives (no groups asked) for a rule in a group and a rule marked always', () => {
    for (const plain of [
      { a: 1, adminOnly: 5 },
      { a: 1, adminOnly: 'x' },
      { a: 1, always: 'x' },
      { a: 1, always: 2 },
    ]) {
      const libraries = validateSync(plainToInstance(Required, plain)).length === 0;
      expect([plain, agree(Required, plain) !== undefined]).toEqual([plain, libraries]);
    }
  });

  it('skips a rule whose condition is false and applies it when true', () => {
    expect(agree(Gated, { on: false, text: 5 })).toBeInstanceOf(Gated);
    expect(agree(Gated, { on: true, text: 5 })).toBeUndefined();
    expect(agree(Gated, { on: true, text: 'x' })).toBeInstanceOf(Gated);
    expect(agree(Gated, { text: 'x' })).toBeUndefined();
  });
});

class WithAccessors {
  @IsString() name!: string;
  get label(): string {
    return `label of ${this.name}`;
  }
  describe(): string {
    return this.name;
  }
}
class WithNumber {
  @Type(() => Number) @IsInt() n!: number;
}
class WithBoolean {
  @Type(() => Boolean) @IsDefined() b!: boolean;
}
class OptionGated {
  @IsDefined() on!: unknown;
  @IsString({ validateIf: (o: OptionGated) => o.on === true }) text?: unknown;
}

describe('keys and values class-transformer treats specially', () => {
  it('skips a key that names a getter or a method of the class, as class-transformer does', () => {
    const out = agree(WithAccessors, { name: 'x', label: 'forged', describe: 'forged' });
    expect(out).toBeInstanceOf(WithAccessors);
    expect(out!.label).toBe('label of x');
    expect(out!.describe()).toBe('x');
  });

  it('leaves Number- and Boolean-typed properties to class-transformer, which converts them', () => {
    expect(validInstance(WithNumber, { n: '5' })).toBeUndefined();
    expect(plainToInstance(WithNumber, { n: '5' }).n).toBe(5);
    expect(validInstance(WithBoolean, { b: 'yes' })).toBeUndefined();
  });

  it('leaves an object that is not plain JSON inside untyped data to class-transformer', () => {
    expect(validInstance(Place, { ...place, extra: { at: new Date(0) } })).toBeUndefined();
    expect(validInstance(Place, { ...place, extra: [Object.create(null)] })).toBeUndefined();
  });

  it('leaves untyped objects nested deeper than 32 levels to the libraries, and vouches for 20', () => {
    const nest = (n: number): object => (n === 0 ? {} : { a: nest(n - 1) });
    expect(agree(Place, { ...place, extra: nest(20) })).toBeInstanceOf(Place);
    expect(validInstance(Place, { ...place, extra: nest(40) })).toBeUndefined();
  });

  it('vouches for a missing nested object, which class-validator accepts without @IsDefined', () => {
    expect(agree(Place, { name: 'x' })).toBeInstanceOf(Place);
  });

  it('applies a constraint whose own validateIf option holds, and skips it otherwise', () => {
    expect(agree(OptionGated, { on: false, text: 5 })).toBeInstanceOf(OptionGated);
    expect(agree(OptionGated, { on: true, text: 5 })).toBeUndefined();
    expect(agree(OptionGated, { on: true, text: 'x' })).toBeInstanceOf(OptionGated);
  });
});
