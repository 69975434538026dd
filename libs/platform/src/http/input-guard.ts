import { AppError } from '../errors/app-error.js';

/** How deeply a JSON body may nest: the API's deepest DTO is 3 levels; class-transformer recurses per level. */
export const MAX_JSON_DEPTH = 32;

/**
 * Characters no string of the API may carry: NUL (PostgreSQL's text cannot
 * hold it) and lone UTF-16 surrogates (they have no UTF-8 form, so the row
 * or event that would carry them cannot be written).
 */
// Matching NUL is the point of this pattern.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const InputErrors = {
  invalidCharacters: (field: string) =>
    new AppError(
      'INVALID_CHARACTERS',
      400,
      {
        en: 'The request contains characters that cannot be stored (NUL or a broken Unicode sequence).',
        fa: 'درخواست نویسه‌های نامعتبر دارد.',
      },
      [{ field, code: 'INVALID_CHARACTERS', message: `${field} contains NUL or a lone surrogate` }],
    ),
  dotSegment: () =>
    new AppError('INVALID_PATH', 400, {
      en: 'The path may not contain "." or ".." segments.',
      fa: 'مسیر درخواست معتبر نیست.',
    }),
  tooDeep: () =>
    new AppError('JSON_TOO_DEEP', 400, {
      en: `The JSON body nests more than ${MAX_JSON_DEPTH} levels.`,
      fa: 'ساختار بدنه درخواست بیش از حد تودرتو است.',
    }),
};

/** Whether a string is storable: no NUL, no lone surrogate. */
export function isStorableString(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * Checks a parsed JSON body before any DTO sees it: at most MAX_JSON_DEPTH
 * levels, and every key and string storable. Iterative, so a hostile body
 * cannot overflow the stack here either.
 */
export function checkJsonBody(body: unknown): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 0, path: 'body' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (!isStorableString(value)) throw InputErrors.invalidCharacters(path);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw InputErrors.tooDeep();
    for (const [key, child] of Object.entries(value)) {
      if (!isStorableString(key)) throw InputErrors.invalidCharacters(path);
      stack.push({ value: child, depth: depth + 1, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}` });
    }
  }
}

/**
 * Checks a request target (path and query, still percent-encoded) before
 * routing: it must decode as UTF-8 and carry no unstorable character, so no
 * route, query or repository ever sees one.
 */
export function checkRequestTarget(url: string): void {
  checkDotSegments(url);
  if (!url.includes('%')) {
    if (!isStorableString(url)) throw InputErrors.invalidCharacters('url');
    return;
  }
  let decoded: string;
  try {
    // `+` is a space in a query; it changes nothing here.
    decoded = decodeURIComponent(url);
  } catch {
    throw InputErrors.invalidCharacters('url');
  }
  if (!isStorableString(decoded)) throw InputErrors.invalidCharacters('url');
  checkDotSegments(decoded);
}

/** `/claims/.` must not reach `/claims` through URL normalisation: a `.` or `..` segment is refused, encoded or not. */
function checkDotSegments(url: string): void {
  const path = url.split('?', 1)[0]!;
  if (/(^|\/)\.{1,2}(\/|$)/.test(path)) throw InputErrors.dotSegment();
}
