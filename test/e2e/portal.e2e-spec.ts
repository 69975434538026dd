// The member portal in a real browser (Debian's Chromium through playwright-core), served by the gateway from
// the build. A member of the seed's household activates the portal, logs in with Persian digits, sees the three
// persons, reads a claim of the seed, asks for a referral letter with two files, watches the insurer's decisions
// (published here as insurer events) arrive on the page, searches «بیمارستان شفا», edits the profile and logs
// out; a second household sees none of it. Every page passes axe (no serious or critical violation) in Persian
// and in English, under the gateway's strict CSP, and the screenshot tour writes every page for phone and desktop.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { AxeBuilder } from '@axe-core/playwright';
import { Topics } from '@darman/contracts';
import { createKafka, EventPublisher, TopicNamer } from '@darman/messaging';
import {
  contractUpserted,
  createServiceDatabase,
  dropDatabase,
  eventually,
  memberEnrolled,
  newMobile,
  newNationalCode,
  REPO_ROOT,
  testBrokers,
  TopicRecorder,
  uniqueToken,
} from '@darman/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pdf, plainPng } from '../../apps/referrals/src/attachments/attachment-fixtures.js';
import { ensureAccount } from '../../scripts/lib/demo-account.mjs';
import { provisionTopics, seed, startServices, stopServices, waitReady, type Ports } from '../../scripts/lib/stack.mjs';
import { PORTAL_CSP } from '../../apps/gateway/src/portal/portal-pages.js';
import { launchBrowser } from '../../scripts/portal/browser.mjs';
import { takeScreenshots } from '../../scripts/portal/screenshots.mjs';
import { logIn, portalPages, tour } from '../../scripts/portal/tour.mjs';

const ports: Ports = { gateway: 4900, identity: 4901, claims: 4902, referrals: 4903, providers: 4904 };
const SERVICES = ['identity', 'claims', 'referrals', 'providers'] as const;
// `localhost`, not 127.0.0.1: the refresh cookie is `Secure`, and browsers keep such cookies over plain HTTP
// only for localhost (a potentially trustworthy origin).
const BASE = `http://localhost:${ports.gateway}`;
const API = `${BASE}/api/v1`;
const CAPTCHA = 'portal-e2e';
const LOG_DIR = path.join(REPO_ROOT, '.data', 'e2e-portal-logs');
// The seed's household (scripts/seed/demo-data.ts): contract 1722169, main member, spouse, child.
const MAIN = { nationalCode: '0499370899', membershipType: 'GROUP', mobile: '09121234567', password: 'portal-pass-1404' };
const CHILD = '0499370910';

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const fa = (text: string) => text.replace(/[0-9]/g, (d) => PERSIAN[Number(d)]!);
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

interface Notification {
  data: { to: string; params: { code: string } };
}

describe('the member portal in a browser', () => {
  const brokers = testBrokers();
  const prefix = `e2ept${uniqueToken()}.`;
  const namer = new TopicNamer(prefix);
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'e2e-portal' });
  const insurer = new EventPublisher(kafka, 'asmari-referrals', namer);
  const notifications = namer.topic(Topics.portalNotifications);
  const recorder = new TopicRecorder(kafka, [notifications]);
  const databaseUrls: Record<string, string> = {};
  const strangerContract = `P${uniqueToken()}`;
  const stranger = { nationalCode: newNationalCode(), membershipType: 'GROUP', mobile: newMobile(), password: 'stranger-pass-1' };
  let children: Record<string, ChildProcess>;
  let browser: Browser;
  let trackingCode = '';
  const cspViolations: string[] = [];

  async function newPage(locale: 'fa' | 'en' = 'fa'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: locale === 'fa' ? 'fa-IR' : 'en-US', timezoneId: 'Asia/Tehran' });
    await context.addInitScript(`localStorage.setItem('darman.lang', '${locale}')`);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return { context, page };
  }

  beforeAll(async () => {
    for (const svc of SERVICES) databaseUrls[svc] = await createServiceDatabase(svc, `e2e_pt_${svc}_${uniqueToken()}`);
    provisionTopics(brokers, prefix);
    await recorder.start();
    children = startServices({
      ports,
      brokers,
      topicPrefix: prefix,
      databaseUrls,
      logDir: LOG_DIR,
      extraEnv: { NODE_ENV: 'test', CAPTCHA_TEST_ANSWER: CAPTCHA, RATE_LIMIT_PER_MINUTE: '100000', AUTH_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    browser = await launchBrowser();
    await waitReady(ports, undefined, 120_000);
    seed(brokers, prefix);
    await new EventPublisher(kafka, 'asmari-core', namer).publishMany(Topics.insurerMembers, [
      contractUpserted({ contractNumber: strangerContract }),
      memberEnrolled({
        nationalCode: stranger.nationalCode,
        contractNumber: strangerContract,
        mainMemberNationalCode: stranger.nationalCode,
        mobile: stranger.mobile,
      }),
    ]);
    // The seed's centres reach the referrals service's own copy before a member can ask for a letter there.
    await eventually(async () => {
      const answer = await fetch(`${API}/providers?q=${encodeURIComponent('شفا')}`);
      return answer.ok && ((await answer.json()) as { total: number }).total > 0 ? true : undefined;
    }, 60_000);
  });

  afterAll(async () => {
    await browser?.close();
    await recorder.stop();
    await insurer.disconnect();
    if (children) await stopServices(children);
    for (const url of Object.values(databaseUrls)) await dropDatabase(url);
  });

  it('ships at most 200 KB of gzipped JavaScript', () => {
    const assets = path.join(REPO_ROOT, 'dist', 'portal', 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const gzipped = scripts.reduce((sum, f) => sum + statSync(path.join(assets, `${f}.gz`)).size, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(200 * 1024);
  });

  it('takes a member from activation through claims, a referral letter and its decisions, the centres and the profile, to logout', async () => {
    const { context, page } = await newPage('fa');
    // Activation: the code comes by SMS (portal.notifications.v1, as the SMS gateway reads it).
    await page.goto(`${BASE}/activate`);
    await page.getByLabel('کد ملی', { exact: true }).fill(fa(MAIN.nationalCode));
    await page.getByLabel('نوع عضویت').selectOption(MAIN.membershipType);
    await page.getByLabel('شماره همراه').fill(fa(MAIN.mobile));
    await page.getByLabel('کد امنیتی', { exact: true }).fill(CAPTCHA);
    const skip = recorder.values(notifications).length;
    await page.getByRole('button', { name: 'ارسال کد' }).click();
    const sms = await recorder.waitFor<Notification>(notifications, (n) => n.data.to === MAIN.mobile, 30_000, skip);
    await page.getByLabel('کد یک‌بارمصرف').fill(fa(sms.data.params.code));
    await page.getByLabel('رمز عبور جدید').fill(MAIN.password);
    await page.getByLabel('تکرار رمز عبور').fill(MAIN.password);
    await page.getByRole('button', { name: 'فعال‌سازی' }).click();
    await page.getByText('حساب پرتال فعال شد').waitFor();

    // Login with Persian digits; the home page shows the insurer, the announcement and the three shortcuts.
    await logIn(page, BASE, { ...MAIN, nationalCode: fa(MAIN.nationalCode), captchaAnswer: CAPTCHA });
    await page.getByRole('link', { name: 'درخواست معرفی‌نامه' }).waitFor();
    expect(await page.locator('.announcements').innerText()).toContain('به پرتال اعضا خوش آمدید');
    expect(await page.getByRole('img', { name: 'بیمه آسماری' }).count()).toBeGreaterThan(0);

    // A reload keeps the session: the refresh cookie, not script, carries it.
    await page.goto(`${BASE}/dependents`);
    await page.locator('tbody tr').nth(2).waitFor();
    const persons = await page.locator('tbody tr').allInnerTexts();
    expect(persons).toHaveLength(3);
    expect(persons.join('\n')).toMatch(/علی\s+رضایی[\s\S]*مریم\s+احمدی[\s\S]*سارا\s+رضایی/);
    expect(persons.join('\n')).toContain(fa(CHILD));
    expect(await context.cookies()).toEqual([
      expect.objectContaining({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' }),
    ]);
    expect(await page.evaluate('document.cookie')).toBe('');

    // A claim of the seed: Jalali dates (ISO on hover) and amounts in Persian digits.
    await page.getByRole('link', { name: 'گزارش خسارت‌های من' }).click();
    await page.getByRole('link', { name: `جزئیات پرونده ${fa('15342268')}` }).click();
    await page.locator('.timeline').waitFor();
    const claim = await page.locator('main').innerText();
    expect(claim).toContain(fa('1398/07/26')); // admission
    expect(claim).toContain(fa('1398/08/12')); // registered
    expect(claim).toContain(fa('1398/08/18')); // issued
    expect(claim).toContain('۳٬۱۴۶٬۰۰۰ ریال');
    expect(claim).toContain('۳۱۴٬۶۰۰ ریال');
    expect(claim).toContain('۲٬۸۳۱٬۴۰۰ ریال');
    expect(await page.locator('time[datetime="2019-10-18"]').first().getAttribute('title')).toBe('2019-10-18');

    // A referral letter for the child at Shafa, with the prescription and the national card; the advice shows first.
    await page.getByRole('link', { name: 'معرفی‌نامه‌های آنلاین' }).click();
    await page.getByRole('link', { name: 'درخواست معرفی‌نامه' }).click();
    await page.getByLabel('بیمار', { exact: true }).selectOption(CHILD);
    await page.getByLabel('جستجوی مرکز (نام یا شهر)').fill('شفا');
    await page.getByLabel('انتخاب مرکز درمانی').locator('option', { hasText: 'بیمارستان شفا' }).waitFor({ state: 'attached' });
    await page.getByLabel('انتخاب مرکز درمانی').selectOption({ label: 'بیمارستان شفا (شیراز)' });
    await page.getByLabel('نوع خدمت').selectOption('SURGERY');
    const shafa = (await (await fetch(`${API}/providers/1001`)).json()) as { referralAdvice: { fa: string } };
    await page.locator('.advice').getByText(shafa.referralAdvice.fa).waitFor();
    expect(await page.locator('.advice').innerText()).toContain('دست‌کم دو روز کاری');
    const admission = await page.evaluate((iso) => {
      const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
        new Date(`${iso}T12:00:00Z`),
      );
      const part = (type: string) => parts.find((p) => p.type === type)!.value;
      return `${part('year')}/${part('month')}/${part('day')}`;
    }, day(10));
    await page.getByLabel(/تاریخ مراجعه/).fill(fa(admission));
    await page.getByLabel('نام پزشک').fill('دکتر رضایی');
    await page.getByLabel('علت بستری').fill('جراحی آپاندیس');
    await page.getByLabel('دستور پزشک').setInputFiles({ name: 'نسخه.pdf', mimeType: 'application/pdf', buffer: pdf('BT (nuskhe) Tj ET') });
    await page.getByLabel('کارت ملی بیمار').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: plainPng(40, 25) });
    await page.getByRole('button', { name: 'ثبت درخواست' }).click();
    const sent = await page.getByText(/درخواست ثبت شد/).innerText();
    trackingCode = /([0-9A-Z]{10})/.exec(sent)![1]!;
    await page.getByRole('link', { name: `معرفی‌نامه ${trackingCode}` }).click();
    await page.getByText('ثبت شده، در انتظار بررسی').first().waitFor();
    expect(await page.locator('.files li').count()).toBe(2);

    // The referral unit asks for a report: the page shows it, and the member answers by uploading.
    await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralDocumentsRequested',
      subject: trackingCode,
      sequence: 1,
      data: { trackingCode, documents: [{ kind: 'MEDICAL_REPORT', description: 'گزارش پزشک معالج' }], dueBy: day(5) },
    });
    await page.locator('.status', { hasText: 'نیاز به مدارک تکمیلی' }).waitFor({ timeout: 30_000 });
    await page
      .getByLabel('بارگذاری گزارش پزشکی')
      .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf('BT (gozaresh) Tj ET') });
    await page.getByRole('button', { name: 'بارگذاری', exact: true }).click();
    await page.locator('.status', { hasText: 'ثبت شده، در انتظار بررسی' }).waitFor();
    expect(await page.locator('.files li').count()).toBe(3);

    // The letter is issued: number and validity appear without a reload.
    await insurer.publish(Topics.insurerReferrals, {
      eventType: 'ReferralApproved',
      subject: trackingCode,
      sequence: 2,
      data: { trackingCode, letterNumber: 'MN-1404-0077', validUntil: day(12), approvedProviderId: '1001' },
    });
    await page.locator('.status', { hasText: 'صادر شده' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('main').innerText()).toContain(`MN-${fa('1404-0077')}`);

    // The centres: «بیمارستان شفا» and its detail with the advice.
    await page.getByRole('link', { name: 'وضعیت مراکز درمانی' }).click();
    await page.getByLabel('جستجو', { exact: true }).fill('بیمارستان شفا');
    await page.locator('.providers li h2', { hasText: 'بیمارستان شفا' }).first().waitFor();
    await page.getByRole('link', { name: 'مشاهده بیمارستان شفا' }).first().click();
    await page.getByText(shafa.referralAdvice.fa).waitFor();
    expect(await page.locator('.facts').innerText()).toContain('شیراز');

    // The profile: email and address saved and shown.
    await page.getByRole('link', { name: 'پروفایل' }).click();
    await page.getByLabel('پست الکترونیکی').fill('ali.rezaei@example.com');
    await page.getByLabel('نشانی').fill('شیراز، خیابان زند');
    await page.getByRole('button', { name: 'ذخیره' }).click();
    await page.getByText('تغییرات ذخیره شد.').waitFor();
    await page.locator('.facts', { hasText: 'ali.rezaei@example.com' }).waitFor();
    // And it is stored: a reload shows it too.
    await page.reload();
    await page.locator('.facts', { hasText: 'ali.rezaei@example.com' }).filter({ hasText: 'شیراز، خیابان زند' }).waitFor();

    // Logout ends the session: back to the login page, and a reload does not bring it back.
    await page.getByRole('button', { name: 'خروج از حساب' }).click();
    await page.waitForURL(`${BASE}/login`);
    await page.goto(`${BASE}/profile`);
    await page.waitForURL(/\/login\?next=/);
    expect(await context.cookies()).toEqual([]);
    await context.close();
    expect(cspViolations).toEqual([]);
  });

  it('shows a second household none of the first one', async () => {
    expect(trackingCode).not.toBe('');
    await ensureAccount({ api: API, brokers, topicPrefix: prefix, captchaAnswer: CAPTCHA, account: stranger });
    const { context, page } = await newPage('fa');
    await logIn(page, BASE, { ...stranger, captchaAnswer: CAPTCHA });
    await page.goto(`${BASE}/dependents`);
    await page.locator('tbody tr').first().waitFor();
    const persons = await page.locator('tbody tr').allInnerTexts();
    expect(persons).toHaveLength(1);
    expect(persons[0]).toContain(fa(stranger.nationalCode));
    for (const route of ['/claims', '/referrals']) {
      await page.goto(`${BASE}${route}`);
      await page.getByText('داده‌ای برای نمایش وجود ندارد').waitFor();
    }
    await page.goto(`${BASE}/claims/15342268`);
    await page.getByRole('alert').waitFor();
    await page.goto(`${BASE}/referrals/${trackingCode}`);
    await page.getByRole('alert').waitFor();
    const shown = await page.locator('main').innerText();
    expect(shown).not.toContain('MN-');
    expect(shown).not.toContain('سارا');
    await context.close();
  });

  it('serves the portal from the build: its pages, compressed and cached files, under the strict CSP', async () => {
    const home = await fetch(`${BASE}/`);
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    expect(home.headers.get('cache-control')).toBe('no-cache');
    expect(home.headers.get('content-security-policy')).toBe(PORTAL_CSP);
    expect(home.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    // A reload of any portal page answers the same document; a revalidation answers 304.
    const deep = await fetch(`${BASE}/claims/15342268`);
    expect([deep.status, await deep.text()]).toEqual([200, html]);
    const again = await fetch(`${BASE}/referrals/new`, { headers: { 'if-none-match': home.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // The bundle: precompressed brotli for a browser that accepts it, cached for a year.
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)![1]!;
    const bundle = await fetch(`${BASE}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-encoding')).toBe('br');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(bundle.headers.get('content-security-policy')).toBe(PORTAL_CSP);
    // The bytes on the wire are the build's .br file (fetch decodes them; the length header is the encoded one).
    expect(Number(bundle.headers.get('content-length'))).toBe(statSync(path.join(REPO_ROOT, 'dist', 'portal', `${script}.br`)).size);
    expect((await bundle.arrayBuffer()).byteLength).toBe(statSync(path.join(REPO_ROOT, 'dist', 'portal', script)).size);
    // The API and the documents are untouched: an unknown API route is the API's JSON 404, Swagger keeps its policy.
    const unknown = await fetch(`${API}/nope`);
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const docs = await fetch(`${BASE}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).not.toBe(PORTAL_CSP);
  });

  it('keeps the refresh token in an HttpOnly cookie that only the portal itself can use', async () => {
    const cookieOf = (answer: Response) => /darman_refresh=([^;]*)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
    const { captchaId } = (await (await fetch(`${API}/auth/captcha`)).json()) as { captchaId: string };
    const logged = await fetch(`${API}/auth/login?cookie=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        nationalCode: stranger.nationalCode,
        membershipType: stranger.membershipType,
        password: stranger.password,
        rememberMe: true,
        captchaId,
        captchaAnswer: CAPTCHA,
      }),
    });
    expect(logged.status).toBe(200);
    const { refreshExpiresIn } = (await logged.json()) as { refreshExpiresIn: number };
    expect(logged.headers.get('set-cookie')).toBe(
      `darman_refresh=${cookieOf(logged)}; Path=/api/v1/auth; HttpOnly; Secure; SameSite=Strict; Max-Age=${refreshExpiresIn}`,
    );
    const withCookie = (cookie: string, headers: Record<string, string> = { 'x-refresh-cookie': '1' }) =>
      fetch(`${API}/auth/refresh`, { method: 'POST', headers: { cookie: `darman_refresh=${cookie}`, ...headers } });
    const first = cookieOf(logged)!;
    // CSRF: the cookie without the header, or from another origin, is refused and spends nothing.
    const csrf: Record<string, string>[] = [{}, { 'x-refresh-cookie': '1', origin: 'https://evil.example' }];
    for (const headers of csrf) {
      const refused = await withCookie(first, headers);
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, 'CSRF_REJECTED']);
    }
    // From the portal's own origin, with the header: a new pair, and the cookie rotated.
    const rotated = await withCookie(first, { 'x-refresh-cookie': '1', origin: BASE });
    expect(rotated.status).toBe(200);
    const second = cookieOf(rotated)!;
    expect(second).not.toBe(first);
    // Presenting the spent cookie again revokes the session: the newer one is refused too, and the cookie cleared.
    const reused = await withCookie(first);
    expect(reused.status).toBe(401);
    expect(reused.headers.get('set-cookie')).toMatch(/^darman_refresh=; .*Max-Age=0$/);
    expect((await withCookie(second)).status).toBe(401);
  });

  it.each(['fa', 'en'] as const)('has no serious or critical accessibility violation on any page (%s)', async (lang) => {
    const { context, page } = await newPage(lang);
    const pages = portalPages({ claimId: '15342268', trackingCode, providerId: '1001' });
    const violations: string[] = [];
    const check = async (p: Page, portalPage: { name: string }) => {
      expect(await p.evaluate('[document.documentElement.lang, document.documentElement.dir]')).toEqual([
        lang,
        lang === 'fa' ? 'rtl' : 'ltr',
      ]);
      const result = await new AxeBuilder({ page: p }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
        violations.push(`${portalPage.name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    await tour(page, BASE, pages.public, check);
    await logIn(page, BASE, { ...MAIN, captchaAnswer: CAPTCHA });
    await tour(page, BASE, pages.member, check);
    await context.close();
    expect(violations).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('writes a phone and a desktop screenshot of every page (npm run portal:screenshots)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'darman-screens-'));
    try {
      const ids = { claimId: '15342268', trackingCode, providerId: '1001' };
      const files = await takeScreenshots({ base: BASE, dir, account: MAIN, captchaAnswer: CAPTCHA, ids });
      const pages = portalPages(ids);
      const names = [...pages.public, ...pages.member].flatMap((p) => [`${p.name}-phone.png`, `${p.name}-desktop.png`]);
      expect(files.map((f) => path.basename(f)).sort()).toEqual(names.sort());
      for (const file of files) {
        expect(existsSync(file)).toBe(true);
        expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows the API's Persian message when a login is refused", async () => {
    const { captchaId } = (await (await fetch(`${API}/auth/captcha`)).json()) as { captchaId: string };
    const refused = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'fa' },
      body: JSON.stringify({
        nationalCode: stranger.nationalCode,
        membershipType: stranger.membershipType,
        password: 'wrong-password-1',
        rememberMe: false,
        captchaId,
        captchaAnswer: CAPTCHA,
      }),
    });
    const { message } = (await refused.json()) as { message: string };
    expect(message).toMatch(/[\u0600-\u06FF]/);
    const { context, page } = await newPage('fa');
    await page.goto(`${BASE}/login`);
    await page.getByLabel('کد ملی', { exact: true }).fill(fa(stranger.nationalCode));
    await page.getByLabel('رمز عبور', { exact: true }).fill('wrong-password-2');
    await page.getByLabel('نوع عضویت').selectOption(stranger.membershipType);
    await page.getByLabel('کد امنیتی', { exact: true }).fill(CAPTCHA);
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
    expect(await page.getByRole('alert').innerText()).toContain(message);
    await context.close();
  });
});
