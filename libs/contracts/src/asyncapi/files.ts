import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { asyncApiJson, asyncApiYaml, buildAsyncApiDocument, type AsyncApiDocument } from './asyncapi.js';

/** Where the generated document is committed, relative to the repository root (the gateway serves these). */
export const ASYNCAPI_FILES = { yaml: 'docs/asyncapi.yaml', json: 'docs/asyncapi.json' } as const;

export type AsyncApiFiles = Record<keyof typeof ASYNCAPI_FILES, string>;

/** The repository root: the nearest directory above this file with a package.json (from the sources or from dist/). */
export function repoRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** Formatted as the repository's Prettier config says, so that `npm run lint` accepts the committed files. */
async function prettier(text: string, file: string): Promise<string> {
  return format(text, { ...(await resolveConfig(file)), filepath: file });
}

/** The contents of docs/asyncapi.yaml and docs/asyncapi.json for the contract classes as they are now. */
export async function renderAsyncApiFiles(
  root: string = repoRoot(),
  document: AsyncApiDocument = buildAsyncApiDocument(),
): Promise<AsyncApiFiles> {
  return {
    yaml: await prettier(asyncApiYaml(document), path.join(root, ASYNCAPI_FILES.yaml)),
    json: await prettier(asyncApiJson(document), path.join(root, ASYNCAPI_FILES.json)),
  };
}
