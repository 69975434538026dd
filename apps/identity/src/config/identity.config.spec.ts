import { ConfigError, loadConfig } from '@darman/platform';
import { IdentityConfig } from './identity.config.js';

const base = { PORT: '3001', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/darman_identity' };
const KEY = 'k'.repeat(40);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(IdentityConfig, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.variable);
  }
}

describe('IdentityConfig', () => {
  it('accepts the captcha test answer outside production', () => {
    expect(loadConfig(IdentityConfig, { ...base, NODE_ENV: 'test', CAPTCHA_TEST_ANSWER: 'e2e' }).CAPTCHA_TEST_ANSWER).toBe('e2e');
  });

  it('refuses to start in production with a captcha test answer', () => {
    expect(problems({ ...base, NODE_ENV: 'production', OTP_HASH_KEY: KEY, CAPTCHA_TEST_ANSWER: 'e2e' })).toEqual(['CAPTCHA_TEST_ANSWER']);
  });

  it('requires a one-time-code hash key in production only', () => {
    expect(problems({ ...base, NODE_ENV: 'production' })).toEqual(['OTP_HASH_KEY']);
    expect(problems({ ...base, NODE_ENV: 'production', OTP_HASH_KEY: KEY })).toEqual([]);
    expect(problems({ ...base, NODE_ENV: 'development' })).toEqual([]);
    expect(problems({ ...base, OTP_HASH_KEY: 'short' })).toEqual(['OTP_HASH_KEY']);
  });
});
