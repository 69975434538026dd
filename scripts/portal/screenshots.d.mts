import type { PortalIds } from './tour.mjs';
export declare function takeScreenshots(options: {
  base: string;
  dir: string;
  account: { nationalCode: string; password: string; membershipType: string };
  captchaAnswer: string;
  ids: PortalIds;
}): Promise<string[]>;
