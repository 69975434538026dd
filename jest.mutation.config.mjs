// The unit specs StrykerJS runs against each mutant (npm run test:mutation): those of
// the group of files being mutated (MUTATION_GROUP, scripts/lib/mutation-groups.mjs).
import config from './jest.config.mjs';
import { MUTATION_GROUPS } from './scripts/lib/mutation-groups.mjs';

const unit = config.projects.find((p) => p.displayName === 'unit');
const group = MUTATION_GROUPS[process.env.MUTATION_GROUP ?? 'persian'];

export default {
  ...unit,
  displayName: undefined,
  // In the runner's own process: a jest worker started per mutant cost seconds each.
  maxWorkers: 1,
  // A mutant that fails a property test fails it at once: shrinking the counterexample would only cost time.
  setupFiles: [...unit.setupFiles, '<rootDir>/scripts/lib/mutation-setup.mjs'],
  // Only the group's folders are crawled on each of the hundreds of runs (the whole tree cost seconds of haste map).
  roots: group.roots.map((r) => `<rootDir>/${r}`),
  testMatch: group.specs.map((s) => `<rootDir>/${s}`),
};
