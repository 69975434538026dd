// jest setup of the `contracts` mutation runs (scripts/lib/mutation-groups.mjs): compiled-validation.ts keeps
// each class it compiled; forgetting them before each test makes every test compile what it uses, so Stryker's
// per-test coverage credits a rule to each test that meets it (and a mutant runs only the tests that reach it).
import { beforeEach } from '@jest/globals';
import { forgetCompiledClasses } from '../../libs/contracts/src/compiled-validation.js';

beforeEach(() => forgetCompiledClasses());
