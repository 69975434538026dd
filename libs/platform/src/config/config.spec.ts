import { IsString } from 'class-validator';
import { ConfigError, loadConfig, ServiceConfig } from './config.js';

class TestConfig extends ServiceConfig {
  @IsString()
  EXTRA!: string;
}

describe('loadConfig', () => {
  const valid = { PORT: '3001', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x', EXTRA: 'yes' };

  it('applies defaults and converts numbers', () => {
    const config = loadConfig(TestConfig, valid);
    expect(config.PORT).toBe(3001);
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(config.NODE_ENV).toBe('development');
  });

  it('names every missing or bad variable', () => {
    let error: unknown;
    try {
      loadConfig(TestConfig, { PORT: 'abc', KAFKA_BROKERS: 'no port', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'EXTRA', 'KAFKA_BROKERS', 'PORT']);
    expect((error as ConfigError).message).toContain('EXTRA: is required');
  });
});
