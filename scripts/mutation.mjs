#!/usr/bin/env node
// `npm run test:mutation`: StrykerJS over the pure domain rules (stryker.config.mjs),
// then the mutation score of every mutated file, failing when one is under the
// threshold. The incremental file (.cache/stryker) makes a second run re-test only
// what changed; it is not in git, so CI runs every mutant.
//   npm run test:mutation             env: PROPERTY_RUNS_SCALE (default 0.1: the property tests run once per
//                                          mutant, with this share of their usual runs, and stop at the first
//                                          counterexample instead of shrinking it)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prepare, ROOT, log } from './lib/prepare.mjs';
import { headerComment, helpRequested } from './lib/help.mjs';

if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const THRESHOLD = 90;
const REPORT = path.join(ROOT, '.data', 'mutation', 'mutation.json');

prepare();
log('mutation testing (StrykerJS)');
const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, PROPERTY_RUNS_SCALE: process.env.PROPERTY_RUNS_SCALE ?? '0.1', NODE_NO_WARNINGS: '1' },
});
if (!existsSync(REPORT)) {
  console.error(`no report at ${path.relative(ROOT, REPORT)} (stryker exit ${run.status})`);
  process.exit(1);
}

/** Stryker's mutation score per file: detected (killed or timed out) over every mutant that could be detected. */
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const rows = Object.entries(report.files).map(([file, { mutants }]) => {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  return { file, mutants: valid, survived: count('Survived', 'NoCoverage'), score: valid === 0 ? 100 : (100 * detected) / valid };
});
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
console.log(`\nevery file at or above ${THRESHOLD}%`);
process.exit(run.status === 0 ? 0 : 1);
