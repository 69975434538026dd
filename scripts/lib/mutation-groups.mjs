// The files StrykerJS mutates (npm run test:mutation), in groups: each group's
// mutants run against that group's unit tests only (stryker.config.mjs and
// jest.mutation.config.mjs read MUTATION_GROUP). A fold a later issue adds goes
// into `folds` with its spec. `coverageAnalysis` (default perTest) is Stryker's.
export const MUTATION_GROUPS = {
  persian: {
    mutate: ['libs/persian/src/*.ts', '!libs/persian/src/index.ts', '!libs/persian/src/*.spec.ts'],
    roots: ['libs/persian'],
    specs: ['libs/persian/src/**/*.spec.ts'],
  },
  contracts: {
    // compiled-validation.ts compiles a class once and keeps it: per-test coverage would credit a rule only to
    // the first test that met the class, so every mutant here runs all of the group's tests.
    coverageAnalysis: 'all',
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
