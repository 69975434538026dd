// @darman/db: the database tooling as a library. The code is plain ESM (.mjs, no
// build step) so that scripts/db/*.mjs and migrations run straight from the sources;
// this entry gives TypeScript code (the test helpers) the same functions.
export * from './engine.mjs';
export * from './schema.mjs';
