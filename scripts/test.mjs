#!/usr/bin/env node
// `npm test`: installs and builds what is missing, starts a test broker (unless
// KAFKA_BROKERS is given), then runs the three jest tiers in order — unit,
// integration (real Kafka + PostgreSQL), e2e (the built services through the
// gateway) — and ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prepare, ROOT, log } from './lib/prepare.mjs';
import { ensureKafka, stopKafka } from './lib/stack.mjs';

const TEST_BROKERS = '127.0.0.1:39092';
prepare();
let startedKafka = false;
if (!process.env.KAFKA_BROKERS) {
  startedKafka = await ensureKafka(TEST_BROKERS);
  process.env.KAFKA_BROKERS = TEST_BROKERS;
}

// jest writes each tier's report here; it does not create the folder (nothing else may have, e.g. with a broker already running).
mkdirSync(path.join(ROOT, '.data'), { recursive: true });
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'int', 'e2e'];

let passed = 0;
let failed = 0;
let broken = false;
for (const tier of tiers) {
  log(`jest: ${tier} tests`);
  const out = path.join(ROOT, '.data', `jest-${tier}.json`);
  const args = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--selectProjects', tier, '--json', '--outputFile', out];
  if (tier === 'int') args.push('--maxWorkers=2', '--testTimeout=90000');
  if (tier === 'e2e') args.push('--runInBand', '--testTimeout=240000');
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numRuntimeErrorTestSuites > 0) broken = true;
  } else {
    broken = true;
  }
  if (run.status !== 0) broken = true;
}
if (startedKafka) stopKafka(TEST_BROKERS);

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(broken || failed > 0 ? 1 : 0);
