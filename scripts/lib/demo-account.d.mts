export declare const DEMO_ACCOUNT: { nationalCode: string; membershipType: string; mobile: string; password: string };
export declare const DEMO_CAPTCHA_ANSWER: string;
export declare function loginDemo(api: string, captchaAnswer?: string): Promise<{ accessToken: string; refreshToken: string } | null>;
export declare function ensureDemoAccount(options: {
  api: string;
  brokers: string;
  topicPrefix?: string;
  captchaAnswer?: string;
  timeoutMs?: number;
}): Promise<'existing' | 'activated'>;
export interface PortalAccount {
  nationalCode: string;
  membershipType: string;
  mobile: string;
  password: string;
}
export declare function login(
  api: string,
  account: PortalAccount,
  captchaAnswer?: string,
): Promise<{ accessToken: string; refreshToken: string } | null>;
export declare function ensureAccount(options: {
  api: string;
  brokers: string;
  account: PortalAccount;
  topicPrefix?: string;
  captchaAnswer?: string;
  timeoutMs?: number;
}): Promise<'existing' | 'activated'>;
