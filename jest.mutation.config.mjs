// The unit specs StrykerJS runs against each mutant (npm run test:mutation): those of the pure domain code it mutates.
import config from './jest.config.mjs';

const unit = config.projects.find((p) => p.displayName === 'unit');

export default {
  ...unit,
  displayName: undefined,
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
