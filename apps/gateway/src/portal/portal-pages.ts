/**
 * The member portal's pages (apps/portal/src/app.tsx routes the same paths): a direct visit or a reload of any of
 * them answers the portal's index.html, and the portal's router shows the page. Nothing else is caught, so an
 * unknown `/api/v1/...` route still answers the API's JSON 404.
 */
export const PORTAL_PAGES = [
  '/',
  '/login',
  '/activate',
  '/forgot-password',
  '/dependents',
  '/claims',
  '/claims/:claimId',
  '/referrals',
  '/referrals/new',
  '/referrals/:trackingCode',
  '/profile',
  '/providers',
  '/providers/:providerId',
] as const;

/**
 * The portal's Content-Security-Policy: its own scripts, styles, fonts and API only; images from itself or data:
 * URLs (the captcha); no inline script or style, no plugin, no framing, no other form target.
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
