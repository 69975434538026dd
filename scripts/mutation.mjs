#!/usr/bin/env node
// `npm run test:mutation`: StrykerJS over the pure domain rules (stryker.config.mjs),
// then the mutation score of every mutated file, failing when one is under the
// threshold. The files are mutated in groups (scripts/lib/mutation-groups.mjs), each
// against its own unit tests. The incremental files (.cache/stryker) make a second
// run re-test only what changed; they are not in git, so CI runs every mutant.
//   npm run test:mutation             every group
//   npm run test:mutation -- persian  one group (persian, contracts, folds)
//                                     env: PROPERTY_RUNS_SCALE (default 0.1: the property tests run once per
//                                          mutant, with this share of their usual runs, and stop at the first
//                                          counterexample instead of shrinking it)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { prepare, ROOT, log } from './lib/prepare.mjs';
import { headerComment, helpRequested } from './lib/help.mjs';
import { MUTATION_GROUPS } from './lib/mutation-groups.mjs';

if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const THRESHOLD = 90;
const groups = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(MUTATION_GROUPS);
const unknown = groups.filter((g) => !(g in MUTATION_GROUPS));
if (unknown.length > 0) {
  console.error(`unknown group ${unknown.join(', ')}: one of ${Object.keys(MUTATION_GROUPS).join(', ')}`);
  process.exit(2);
}

prepare();
const rows = [];
let failed = false;
for (const group of groups) {
  const report = path.join(ROOT, '.data', 'mutation', `${group}.json`);
  rmSync(report, { force: true });
  log(`mutation testing (StrykerJS): ${group}`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      MUTATION_GROUP: group,
      PROPERTY_RUNS_SCALE: process.env.PROPERTY_RUNS_SCALE ?? '0.1',
      NODE_NO_WARNINGS: '1',
    },
  });
  log(`${group}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (run.status !== 0 || !existsSync(report)) {
    console.error(`${group}: stryker exit ${run.status}${existsSync(report) ? '' : `, no report at ${path.relative(ROOT, report)}`}`);
    failed = true;
    continue;
  }
  rows.push(...scores(JSON.parse(readFileSync(report, 'utf8'))));
}

/** Stryker's mutation score per file: detected (killed or timed out) over every mutant that could be detected. */
function scores(report) {
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
    const detected = count('Killed', 'Timeout');
    const valid = detected + count('Survived', 'NoCoverage');
    return { file, mutants: valid, survived: count('Survived', 'NoCoverage'), score: valid === 0 ? 100 : (100 * detected) / valid };
  });
}

console.log('\nmutation score per file');
for (const r of rows.sort((a, b) => a.file.localeCompare(b.file))) {
  console.log(
    `  ${r.score.toFixed(1).padStart(5)}%  ${String(r.mutants).padStart(4)} mutants, ${String(r.survived).padStart(3)} surviving  ${r.file}`,
  );
}
const low = rows.filter((r) => r.score < THRESHOLD);
if (low.length > 0) {
  console.error(`\nunder ${THRESHOLD}%: ${low.map((r) => r.file).join(', ')}`);
  process.exit(1);
}
if (failed) process.exit(1);
console.log(`\nevery file at or above ${THRESHOLD}%`);
