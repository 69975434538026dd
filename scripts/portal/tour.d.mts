import type { Page } from 'playwright-core';
export interface PortalPage {
  name: string;
  path: string;
  ready: string;
}
export interface PortalIds {
  claimId: string;
  trackingCode: string;
  providerId: string;
}
export declare function portalPages(ids: PortalIds): { public: PortalPage[]; member: PortalPage[] };
export declare const VIEWPORTS: Record<'phone' | 'desktop', Record<string, unknown>>;
export declare function logIn(
  page: Page,
  base: string,
  account: { nationalCode: string; password: string; membershipType: string; captchaAnswer: string },
): Promise<void>;
export declare function tour(
  page: Page,
  base: string,
  pages: PortalPage[],
  visit: (page: Page, portalPage: PortalPage) => Promise<void>,
): Promise<void>;
