// The unit specs StrykerJS runs against each mutant (npm run test:mutation): those of
// the group of files being mutated (MUTATION_GROUP, scripts/lib/mutation-groups.mjs).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config from './jest.config.mjs';
import { MUTATION_GROUPS } from './scripts/lib/mutation-groups.mjs';

const unit = config.projects.find((p) => p.displayName === 'unit');
const group = MUTATION_GROUPS[process.env.MUTATION_GROUP ?? 'persian'];
const root = path.dirname(fileURLToPath(import.meta.url));

/** `*` within a name, `**` for any folders: the patterns of the groups' `specs`. */
const globRegExp = (glob) =>
  new RegExp(
    `^${glob
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '\0')
      .replace(/\*/g, '[^/]*')
      .replaceAll('\0', '(?:.*/)?')}$`,
  );
const patterns = group.specs.map(globRegExp);
const specs = group.roots
  .flatMap((r) => readdirSync(path.join(root, r), { recursive: true }).map((f) => path.posix.join(r, f.split(path.sep).join('/'))))
  .filter((f) => patterns.some((p) => p.test(f)))
  .sort();

export default {
  ...unit,
  displayName: undefined,
  // In the runner's own process: a jest worker started per mutant cost seconds each.
  maxWorkers: 1,
  // A mutant that fails a property test fails it at once: shrinking the counterexample would only cost time.
  setupFiles: [...unit.setupFiles, '<rootDir>/scripts/lib/mutation-setup.mjs'],
  setupFilesAfterEnv: (group.setupFilesAfterEnv ?? []).map((f) => `<rootDir>/${f}`),
  // Only the group's folders are crawled on each of the hundreds of runs (the whole tree cost seconds of haste map).
  roots: [...group.roots, 'scripts/lib'].map((r) => `<rootDir>/${r}`),
  // With oneTestFile, the group's specs run as one test file (scripts/lib/mutation-suite.mjs imports them): as files of their
  // own, each loaded its own copy of the modules they share (about 45% of a run's CPU time in contracts).
  ...(group.oneTestFile
    ? { testMatch: ['<rootDir>/scripts/lib/mutation-suite.mjs'], globals: { MUTATION_SPECS: specs.map((s) => path.join(root, s)) } }
    : { testMatch: specs.map((s) => `<rootDir>/${s}`) }),
};
