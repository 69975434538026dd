import { checkJsonBody, checkRequestTarget, isStorableString, MAX_JSON_DEPTH } from './input-guard.js';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('the input guard', () => {
  it('accepts Persian text, emoji (surrogate pairs) and ordinary control characters', () => {
    expect(isStorableString('بیمارستان شفا 😀 tab\there')).toBe(true);
    expect(() => checkJsonBody({ address: 'خیابان زند ۱۲', tags: ['a', { b: 'c' }], n: 1, ok: true, none: null })).not.toThrow();
    expect(() => checkRequestTarget('/api/v1/providers?q=%D8%B4%D9%81%D8%A7&page=2')).not.toThrow();
    expect(() => checkRequestTarget('/api/v1/claims/15342268')).not.toThrow();
  });

  it('refuses NUL and lone surrogates anywhere in a JSON body, naming the field', () => {
    for (const [body, field] of [
      [{ address: 'a\u0000b' }, 'body.address'],
      [{ address: 'a\ud800b' }, 'body.address'],
      [{ address: 'a\udc00' }, 'body.address'],
      [{ list: ['ok', 'x\u0000'] }, 'body.list[1]'],
      [{ 'k\u0000': 'v' }, 'body'],
    ] as const) {
      expect(() => checkJsonBody(body)).toThrow(
        expect.objectContaining({ code: 'INVALID_CHARACTERS', statusCode: 400, details: [expect.objectContaining({ field })] }),
      );
    }
  });

  it('refuses a body nested deeper than the limit, without recursion', () => {
    expect(() => checkJsonBody(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkJsonBody(nested(MAX_JSON_DEPTH + 1))).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP', statusCode: 400 }));
    expect(() => checkJsonBody(nested(100_000))).toThrow(expect.objectContaining({ code: 'JSON_TOO_DEEP' }));
  });

  it('refuses dot segments in the path, plain or encoded, and leaves dots elsewhere alone', () => {
    for (const url of ['/api/v1/claims/.', '/api/v1/claims/..', '/api/v1/claims/./x', '/api/v1/claims/%2E', '/api/v1/claims/%2e%2E/me']) {
      expect(() => checkRequestTarget(url)).toThrow(expect.objectContaining({ code: 'INVALID_PATH', statusCode: 400 }));
    }
    for (const url of ['/api/v1/claims/1.5', '/docs/swagger-ui.css', '/api/v1/providers?q=..', '/api/v1/x/.hidden']) {
      expect(() => checkRequestTarget(url)).not.toThrow();
    }
  });

  it('refuses a request target with an encoded NUL, an encoded lone surrogate or invalid UTF-8', () => {
    for (const url of [
      '/api/v1/providers?province=%00',
      '/api/v1/claims/%00',
      '/api/v1/claims?q=%ED%A0%80',
      '/api/v1/claims?q=%FF',
      '/api/v1/x%',
    ]) {
      expect(() => checkRequestTarget(url)).toThrow(expect.objectContaining({ code: 'INVALID_CHARACTERS', statusCode: 400 }));
    }
  });
});
