// The one test file of a mutation run (jest.mutation.config.mjs): it imports the group's specs
// (MUTATION_SPECS, from the config), so the modules they share (class-validator, fast-check, the
// contracts) are loaded once per mutant instead of once per spec file, which was most of a run's time.
for (const spec of globalThis.MUTATION_SPECS) await import(spec);
