// The unit specs StrykerJS runs against each mutant (npm run test:mutation): those of the pure domain code it mutates.
import config from './jest.config.mjs';

const unit = config.projects.find((p) => p.displayName === 'unit');

export default {
  ...unit,
  displayName: undefined,
  // In the runner's own process: a jest worker started per mutant cost seconds each.
  maxWorkers: 1,
  // A mutant that fails a property test fails it at once: shrinking the counterexample would only cost time.
  setupFiles: [...unit.setupFiles, '<rootDir>/scripts/lib/mutation-setup.mjs'],
  // Only these folders are crawled on each of the thousand runs (a run over the whole tree cost seconds of haste map).
  roots: [
    '<rootDir>/libs/persian',
    '<rootDir>/libs/contracts',
    '<rootDir>/libs/messaging',
    '<rootDir>/libs/access',
    '<rootDir>/apps/claims',
    '<rootDir>/apps/providers',
  ],
  testMatch: [
    '<rootDir>/libs/persian/src/**/*.spec.ts',
    '<rootDir>/libs/contracts/src/validate-event.spec.ts',
    '<rootDir>/libs/contracts/src/compiled-validation.spec.ts',
    '<rootDir>/libs/contracts/src/validators.spec.ts',
    '<rootDir>/libs/messaging/src/history.spec.ts',
    '<rootDir>/libs/access/src/enrollment-fold.spec.ts',
    '<rootDir>/apps/claims/src/claims/claim-fold*.spec.ts',
    '<rootDir>/apps/providers/src/directory/provider-fold.spec.ts',
  ],
};
