import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const PRODUCTION_ENV = {
  DATABASE_URL: 'postgres://x/y',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_only',
  STRIPE_SECRET_KEY: 'sk_test_never_called',
  BK_SITE_ORIGINS: 'https://site.example',
  BK_CLIENT_ORIGINS: 'https://client.example',
  BK_ADMIN_ORIGINS: 'https://admin.example',
};

describe('loadConfig', () => {
  it('when npm start asks for development and nothing is set, then development defaults apply: embedded database and the three local origins', () => {
    const config = loadConfig({}, [], {}, { defaultEnv: 'development' });
    expect(config.env).toBe('development');
    expect(config.databaseUrl).toBeNull();
    expect(config.port).toBe(3000);
    expect(config.origins).toEqual({
      site: ['http://localhost:5173'],
      client: ['http://localhost:5174'],
      admin: ['http://localhost:5175'],
    });
    expect(config.seedDemo).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when NODE_ENV is unset outside npm start, then it runs as production and refuses to start without production settings', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required in production/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y' })).toThrow(
      /STRIPE_SECRET_KEY is required in production/,
    );
    const config = loadConfig(PRODUCTION_ENV);
    expect(config.env).toBe('production');
    expect(config.seedDemo).toBe(false);
    expect(config.validateResponses).toBe(false);
  });

  it("when NODE_ENV is set, then npm start's development default does not override it", () => {
    expect(loadConfig({ NODE_ENV: 'test' }, [], {}, { defaultEnv: 'development' }).env).toBe(
      'test',
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production' }, [], {}, { defaultEnv: 'development' }),
    ).toThrow(/DATABASE_URL is required in production/);
  });

  it('when development runs on a DATABASE_URL, then no demo data is seeded, whatever BK_SEED_DEMO says', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://x/y' }).seedDemo).toBe(
      false,
    );
    expect(
      loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://x/y', BK_SEED_DEMO: 'true' })
        .seedDemo,
    ).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).seedDemo).toBe(false);
  });

  it('when a Stripe key is set, then the published development webhook secret is refused, in every environment', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(() => loadConfig({ NODE_ENV, STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(
        /STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set/,
      );
      expect(() =>
        loadConfig({
          NODE_ENV,
          STRIPE_SECRET_KEY: 'sk_test_abc',
          STRIPE_WEBHOOK_SECRET: 'whsec_local_development_only',
        }),
      ).toThrow(/published development secret/);
      expect(
        loadConfig({
          NODE_ENV,
          STRIPE_SECRET_KEY: 'sk_test_abc',
          STRIPE_WEBHOOK_SECRET: 'whsec_mine',
        }).stripeWebhookSecret,
      ).toBe('whsec_mine');
    }
    expect(() =>
      loadConfig({ ...PRODUCTION_ENV, STRIPE_WEBHOOK_SECRET: 'whsec_local_development_only' }),
    ).toThrow(/published development secret/);
    // Without a key the local provider signs its own events with it: that is what it is for.
    expect(loadConfig({ NODE_ENV: 'development' }).stripeWebhookSecret).toBe(
      'whsec_local_development_only',
    );
  });

  it('when several keys are bad, then one error lists every one of them', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        NODE_ENV: 'staging',
        BK_CLIENT_ORIGINS: 'https://client.example.com/',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      err = error;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/NODE_ENV/);
    expect(problems).toMatch(/BK_CLIENT_ORIGINS/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('when an origin is a wildcard, then it is refused', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', BK_SITE_ORIGINS: '*' })).toThrow(
      /BK_SITE_ORIGINS/,
    );
  });

  it('when production has no DATABASE_URL or uses http origins, then it refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /STRIPE_SECRET_KEY is required in production/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://x/y',
        BK_SITE_ORIGINS: 'http://site.example',
      }),
    ).toThrow(/must be https/);
  });

  it('when production is configured, then demo seeding is off whatever BK_SEED_DEMO says', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x/y',
      STRIPE_WEBHOOK_SECRET: 'whsec_test_only',
      STRIPE_SECRET_KEY: 'sk_test_never_called',
      BK_SEED_DEMO: 'true',
      BK_SITE_ORIGINS: 'https://site.example',
      BK_CLIENT_ORIGINS: 'https://client.example',
      BK_ADMIN_ORIGINS: 'https://admin.example',
    });
    expect(config.seedDemo).toBe(false);
  });

  it('when --surfaces is given, then only those surfaces are served; an unknown one is an error', () => {
    const dev = { NODE_ENV: 'development' };
    expect(loadConfig(dev, ['--surfaces', 'site,ops']).surfaces).toEqual(['site', 'ops']);
    expect(loadConfig(dev, ['--surfaces=admin']).surfaces).toEqual(['admin']);
    expect(() => loadConfig(dev, ['--surfaces', 'site,moon'])).toThrow(/--surfaces/);
  });

  it('when database timeouts are set, then every wait is bounded, and a client timeout not above the statement timeout is refused', () => {
    const config = loadConfig({ NODE_ENV: 'development', BK_DB_STATEMENT_TIMEOUT_MS: '2000' });
    expect(config).toMatchObject({
      dbConnectTimeoutMs: 5_000,
      dbStatementTimeoutMs: 2_000,
      dbQueryTimeoutMs: 7_000,
      dbIdleInTransactionTimeoutMs: 120_000,
      dbKeepAliveMs: 10_000,
    });
    expect(() =>
      loadConfig({
        NODE_ENV: 'development',
        BK_DB_STATEMENT_TIMEOUT_MS: '2000',
        BK_DB_QUERY_TIMEOUT_MS: '2000',
      }),
    ).toThrow(/BK_DB_QUERY_TIMEOUT_MS must be longer/);
    expect(() => loadConfig({ NODE_ENV: 'development', BK_DB_CONNECT_TIMEOUT_MS: '0' })).toThrow(
      /BK_DB_CONNECT_TIMEOUT_MS/,
    );
  });
});
