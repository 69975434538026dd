// The portal's login page, first render in a real browser (Debian's Chromium): a gateway of its own on 4950
// serving the built portal (dist/portal), a fresh browser context per visit (no cache), 20 visits; reports the
// first contentful paint and the time until the login form is on screen, median and worst, with the size of the
// JavaScript shipped (gzipped). Writes nothing: the figures go into BENCHMARKS.md by hand.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { headerComment, helpRequested } from '../scripts/lib/help.mjs';
import { launchBrowser } from '../scripts/portal/browser.mjs';

if (helpRequested()) {
  process.stdout.write(headerComment(new URL(import.meta.url)));
  process.exit(0);
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PORT = 4950;
const VISITS = Number(process.env.VISITS ?? 20);
const gateway = spawn(process.execPath, ['dist/apps/gateway/src/main.js'], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(PORT), LOG_LEVEL: 'warn', KAFKA_BROKERS: '127.0.0.1:1', NODE_ENV: 'test' },
  stdio: 'ignore',
});
try {
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`http://localhost:${PORT}/health/live`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error('the gateway did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const browser = await launchBrowser();
  const fcp = [];
  const form = [];
  for (let i = 0; i < VISITS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`http://localhost:${PORT}/login`);
    await page.locator('#root form').waitFor();
    form.push(Date.now() - started);
    fcp.push(await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN"));
    await context.close();
  }
  await browser.close();
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const assets = path.join(ROOT, 'dist', 'portal', 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  const gz = js.reduce((sum, f) => sum + statSync(path.join(assets, `${f}.gz`)).size, 0);
  console.log(
    `login page, ${VISITS} cold visits: first contentful paint median ${median(fcp).toFixed(0)} ms, worst ${Math.max(...fcp).toFixed(0)} ms;`,
  );
  console.log(
    `  form on screen (navigation start to the form, measured by the driver) median ${median(form)} ms, worst ${Math.max(...form)} ms`,
  );
  console.log(`  JavaScript: ${js.length} file(s), ${(gz / 1024).toFixed(1)} KB gzipped (ceiling 200 KB)`);
} finally {
  gateway.kill('SIGTERM');
}
