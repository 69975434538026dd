// Mutation testing of the pure domain rules (npm run test:mutation): every mutant of
// these files must make a unit test fail. scripts/mutation.mjs checks each file's
// score against the threshold below (Stryker's own break threshold is for the total).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.mjs', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'libs/persian/src/*.ts',
    '!libs/persian/src/index.ts',
    '!libs/persian/src/*.spec.ts',
    'libs/contracts/src/validators.ts',
    'libs/contracts/src/compiled-validation.ts',
    'libs/messaging/src/history.ts',
    'libs/access/src/enrollment-fold.ts',
    'apps/claims/src/claims/claim-fold.ts',
    'apps/providers/src/directory/provider-fold.ts',
  ],
  // The sandbox needs the sources and their unit tests, not the stack's data, build output or caches.
  ignorePatterns: ['/.data', '/dist', '/.cache', '/bench', '/infra', '/test', '/docs', '/coverage', 'apps/*/src/generated'],
  // Type-only and comment changes are not behaviour.
  ignoreStatic: true,
  thresholds: { high: 95, low: 90, break: 90 },
  incremental: true,
  incrementalFile: '.cache/stryker/incremental.json',
  tempDirName: '.cache/stryker/tmp',
  concurrency: 2,
  maxTestRunnerReuse: 100,
  // A run costs about 2.5 s of jest start-up beyond its tests: a tight timeout would stop runs that fail normally.
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: '.data/mutation/mutation.json' },
  cleanTempDir: 'always',
};
