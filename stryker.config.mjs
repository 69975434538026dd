// Mutation testing of the pure domain rules (npm run test:mutation): every mutant of
// these files must make a unit test fail. The files are mutated in groups
// (MUTATION_GROUP, set by scripts/mutation.mjs), each against its own unit tests
// only: a rule of libs/persian must be pinned by libs/persian's tests, not by a
// contract test that happens to run it, and a mutant run loads only what its
// group's tests import. scripts/mutation.mjs checks each file's score against 90%.
import { MUTATION_GROUPS } from './scripts/lib/mutation-groups.mjs';

const name = process.env.MUTATION_GROUP ?? 'persian';
const group = MUTATION_GROUPS[name];
if (!group) throw new Error(`MUTATION_GROUP ${name}: not one of ${Object.keys(MUTATION_GROUPS).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  // With oneTestFile the group's specs run as one test file that imports them at run time, which jest's
  // related-tests search cannot see through (it would find no test for any mutant): every mutant runs that file.
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: !group.oneTestFile },
  coverageAnalysis: group.coverageAnalysis ?? 'perTest',
  mutate: group.mutate,
  // The sandbox needs the sources and their unit tests, not the stack's data, build output or caches.
  ignorePatterns: ['/.data', '/dist', '/.cache', '/bench', '/infra', '/test', '/docs', '/coverage', 'apps/*/src/generated'],
  // Mutants of module-level values are run only where every test runs anyway (Stryker allows no other), unless
  // the group says otherwise (ignoreStatic: false runs every test against them).
  ignoreStatic: group.ignoreStatic ?? (group.coverageAnalysis ?? 'perTest') === 'perTest',
  thresholds: { high: 95, low: 90, break: null },
  incremental: true,
  incrementalFile: `.cache/stryker/${name}.json`,
  tempDirName: `.cache/stryker/tmp-${name}`,
  concurrency: 2,
  maxTestRunnerReuse: 100,
  // Beyond the expected time of a run (its tests' time and jest's start-up, which Stryker measures): a mutant
  // that loops forever (a loop bound turned around) costs this much, and several dozen do.
  timeoutMS: 3_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `.data/mutation/${name}.json` },
  cleanTempDir: 'always',
};
