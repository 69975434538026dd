#!/usr/bin/env node
// `npm run portal:screenshots`: a phone (360 px) and a desktop screenshot of every portal page, in Persian, into
// .data/screenshots/ (<page>-<phone|desktop>.png). It drives the portal of a running `npm start` (PORTAL_URL,
// default http://127.0.0.1:3000) as its demo member, in Debian's Chromium (installed when missing).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ACCOUNT, DEMO_CAPTCHA_ANSWER, loginDemo } from '../lib/demo-account.mjs';
import { headerComment, helpRequested } from '../lib/help.mjs';
import { launchBrowser } from './browser.mjs';
import { logIn, portalPages, tour, VIEWPORTS } from './tour.mjs';

/** Writes the screenshots of every page for both viewports into `dir`; returns the files written. */
export async function takeScreenshots({ base, dir, account, captchaAnswer, ids }) {
  mkdirSync(dir, { recursive: true });
  const pages = portalPages(ids);
  const written = [];
  const browser = await launchBrowser();
  try {
    for (const [viewport, options] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ ...options, locale: 'fa-IR', timezoneId: 'Asia/Tehran' });
      const page = await context.newPage();
      const shoot = async (p, portalPage) => {
        const file = path.join(dir, `${portalPage.name}-${viewport}.png`);
        await p.screenshot({ path: file, fullPage: true });
        written.push(file);
      };
      await tour(page, base, pages.public, shoot);
      await logIn(page, base, { ...account, captchaAnswer });
      await tour(page, base, pages.member, shoot);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return written;
}

/** The demo data's ids: its claim of the seed, its first referral letter, the seed's Shiraz Shafa hospital. */
async function demoIds(base, captchaAnswer) {
  const api = `${base}/api/v1`;
  const session = await loginDemo(api, captchaAnswer).catch((error) => {
    throw new Error(`the demo member cannot log in at ${api} (${error.message}): is npm start running?`);
  });
  const accessToken = session.accessToken;
  const get = async (route) => (await fetch(`${api}${route}`, { headers: { authorization: `Bearer ${accessToken}` } })).json();
  const claims = await get('/claims');
  const referrals = await get('/referrals');
  const providers = await get(`/providers?q=${encodeURIComponent('بیمارستان شفا')}`);
  return { claimId: claims.items[0].claimId, trackingCode: referrals.items[0].trackingCode, providerId: providers.items[0].providerId };
}

if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  if (helpRequested()) {
    process.stdout.write(headerComment(new URL(import.meta.url)));
    process.exit(0);
  }
  const base = (process.env.PORTAL_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const account = { nationalCode: DEMO_ACCOUNT.nationalCode, password: DEMO_ACCOUNT.password, membershipType: DEMO_ACCOUNT.membershipType };
  const captchaAnswer = process.env.CAPTCHA_TEST_ANSWER ?? DEMO_CAPTCHA_ANSWER;
  const ids = await demoIds(base, captchaAnswer);
  const files = await takeScreenshots({ base, dir: path.join(root, '.data', 'screenshots'), account, captchaAnswer, ids });
  process.stdout.write(`wrote ${files.length} screenshots to .data/screenshots/\n`);
}
