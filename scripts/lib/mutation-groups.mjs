// The files StrykerJS mutates (npm run test:mutation), in groups: each group's
// mutants run against that group's unit tests only (stryker.config.mjs and
// jest.mutation.config.mjs read MUTATION_GROUP). A fold a later issue adds goes
// into `folds` with its spec. `coverageAnalysis` (default perTest) and `ignoreStatic` (default: on with
// perTest) are Stryker's; `setupFilesAfterEnv` is added to the group's jest runs; `oneTestFile` runs the
// specs as one jest file (jest.mutation.config.mjs): a gain where they share most modules (persian,
// contracts), none in folds, whose specs share little and where jest's related-tests search picks the specs.
export const MUTATION_GROUPS = {
  persian: {
    oneTestFile: true,
    mutate: ['libs/persian/src/*.ts', '!libs/persian/src/index.ts', '!libs/persian/src/*.spec.ts'],
    roots: ['libs/persian'],
    specs: ['libs/persian/src/**/*.spec.ts'],
  },
  contracts: {
    oneTestFile: true,
    // compiled-validation.ts compiles a class once and keeps it: the setup forgets them before each test, so
    // per-test coverage credits a rule to every test that meets it, not only to the first.
    setupFilesAfterEnv: ['scripts/lib/mutation-setup-contracts.mjs'],
    // The decorators of validators.ts register their rules when a class is defined, outside any test: those
    // (static) mutants run every test of the group instead of being ignored.
    ignoreStatic: false,
    mutate: ['libs/contracts/src/validators.ts', 'libs/contracts/src/compiled-validation.ts'],
    roots: ['libs/persian', 'libs/contracts'],
    specs: [
      'libs/contracts/src/validators.spec.ts',
      'libs/contracts/src/compiled-validation*.spec.ts',
      'libs/contracts/src/validate-event.spec.ts',
    ],
  },
  folds: {
    mutate: [
      'libs/messaging/src/history.ts',
      'libs/access/src/enrollment-fold.ts',
      'apps/claims/src/claims/claim-fold.ts',
      'apps/providers/src/directory/provider-fold.ts',
      'apps/referrals/src/referrals/referral-state.ts',
      'apps/referrals/src/referrals/request-rules.ts',
      'apps/referrals/src/referrals/tracking-code.ts',
    ],
    roots: ['libs/persian', 'libs/contracts', 'libs/messaging', 'libs/access', 'apps/claims', 'apps/providers', 'apps/referrals'],
    specs: [
      'libs/messaging/src/history.spec.ts',
      'libs/access/src/enrollment-fold.spec.ts',
      'apps/claims/src/claims/claim-fold*.spec.ts',
      'apps/providers/src/directory/provider-fold.spec.ts',
      'apps/referrals/src/referrals/referral-state.spec.ts',
      'apps/referrals/src/referrals/tracking-code.spec.ts',
    ],
  },
};
