// jest setup of the mutation runs (jest.mutation.config.mjs): property tests stop at the first failure.
import fc from 'fast-check';

fc.configureGlobal({ endOnFailure: true });
