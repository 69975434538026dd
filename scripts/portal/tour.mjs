// A member's tour of every portal page in a real browser, used by `npm run portal:screenshots` and by the portal
// e2e test: each page is opened, waited for, and handed to `visit` (a screenshot, an accessibility check).
/** @typedef {{ name: string, path: string, ready: string }} PortalPage */

/** The pages a logged-out visitor sees, then the member's (with `ready`, text that shows the page has its data). */
export function portalPages({ claimId, trackingCode, providerId }) {
  return {
    public: [
      { name: 'login', path: '/login', ready: 'form' },
      { name: 'activate', path: '/activate', ready: 'form' },
      { name: 'forgot-password', path: '/forgot-password', ready: 'form' },
      { name: 'providers', path: '/providers', ready: '.providers li' },
      { name: 'provider', path: `/providers/${providerId}`, ready: '.facts' },
    ],
    member: [
      { name: 'home', path: '/', ready: '.shortcuts' },
      { name: 'dependents', path: '/dependents', ready: 'tbody tr' },
      { name: 'claims', path: '/claims', ready: 'tbody tr' },
      { name: 'claim', path: `/claims/${claimId}`, ready: '.timeline' },
      { name: 'referrals', path: '/referrals', ready: 'tbody tr' },
      { name: 'referral-new', path: '/referrals/new', ready: 'form' },
      { name: 'referral', path: `/referrals/${trackingCode}`, ready: '.timeline' },
      { name: 'profile', path: '/profile', ready: '.facts' },
    ],
  };
}

/** Browser-context options of the two screens the portal is checked on: a 360 px phone and a desktop. */
export const VIEWPORTS = {
  phone: { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 },
};

/** Logs in through the login page as a member would (the captcha answer is the test one outside production). */
export async function logIn(page, base, { nationalCode, password, membershipType, captchaAnswer }) {
  await page.goto(`${base}/login`);
  await page.locator('#root form').waitFor();
  const labels = {
    fa: ['کد ملی', 'رمز عبور', 'نوع عضویت', 'کد امنیتی', 'ورود'],
    en: ['National code', 'Password', 'Membership type', 'Security code', 'Log in'],
  };
  const lang = await page.evaluate('document.documentElement.lang');
  const [code, pass, type, captcha, submit] = labels[lang === 'en' ? 'en' : 'fa'];
  await page.getByLabel(code, { exact: true }).fill(nationalCode);
  await page.getByLabel(pass, { exact: true }).fill(password);
  await page.getByLabel(type, { exact: true }).selectOption(membershipType);
  await page.locator('.captcha img').waitFor();
  await page.getByLabel(captcha, { exact: true }).fill(captchaAnswer);
  await page.getByRole('button', { name: submit, exact: true }).click();
  await page.locator('.shell nav#menu').waitFor({ state: 'attached', timeout: 15_000 });
}

/** Opens each page in the context's page and calls visit(page, portalPage) once it shows its data. */
export async function tour(page, base, pages, visit) {
  for (const portalPage of pages) {
    await page.goto(`${base}${portalPage.path}`);
    try {
      await page.locator(portalPage.ready).first().waitFor({ timeout: 15_000 });
    } catch (error) {
      const shown = await page
        .locator('body')
        .innerText()
        .catch(() => '');
      throw new Error(
        `${portalPage.path} did not show ${portalPage.ready} (at ${page.url()}): ${error.message}\n--- the page showed:\n${shown}`,
      );
    }
    await page.evaluate('document.fonts.ready.then(() => true)');
    await visit(page, portalPage);
  }
}
