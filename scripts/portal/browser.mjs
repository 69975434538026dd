// The browser the portal's tests and screenshots drive: Debian's Chromium through playwright-core (Playwright's
// own browser download is not reachable here). Installed with apt-get when it is missing and we are root.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function found() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return CANDIDATES.find((file) => existsSync(file));
}

function apt(args) {
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** The path of a Chromium executable, installing Debian's package first when there is none. */
export function chromiumPath() {
  const present = found();
  if (present) return present;
  if (process.getuid?.() !== 0) throw new Error('Chromium is not installed: run `apt-get install chromium` as root (or set CHROMIUM_PATH)');
  process.stdout.write('[darman] installing Chromium (apt-get install chromium)\n');
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  if (!apt(install) && !(apt(['update']) && apt(install))) throw new Error('apt-get could not install chromium');
  const installed = found();
  if (!installed) throw new Error('apt-get installed chromium, but no executable was found');
  return installed;
}

/** A headless Chromium (playwright-core). */
export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${chromiumPath()}\n`);
