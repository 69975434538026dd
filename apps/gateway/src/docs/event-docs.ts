import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run docs:asyncapi` commits the event contract, relative to the repository root. */
export const EVENT_DOC_FILES = { yaml: 'docs/asyncapi.yaml', json: 'docs/asyncapi.json' } as const;

/** The repository root: the nearest directory above this file with a package.json (from the sources or from dist/). */
export function repoRoot(): string {
  const from = fileURLToPath(import.meta.url);
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/**
 * The AsyncAPI document of the event contract, as committed (YAML, and the
 * same document as JSON so that serving it needs no YAML parser at run time).
 * Read once at start: a gateway without it refuses to start.
 */
export class EventDocs {
  constructor(
    readonly yaml: string,
    readonly json: string,
  ) {}

  static load(root: string = repoRoot()): EventDocs {
    const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
    return new EventDocs(read(EVENT_DOC_FILES.yaml), read(EVENT_DOC_FILES.json));
  }
}
