import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('when nothing is set, then development defaults apply: embedded database and the three local origins', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.databaseUrl).toBeNull();
    expect(c.port).toBe(3000);
    expect(c.origins).toEqual({ site: ['http://localhost:5173'], client: ['http://localhost:5174'], admin: ['http://localhost:5175'] });
    expect(c.seedDemo).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('when several keys are bad, then one error lists every one of them', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'abc', NODE_ENV: 'staging', BK_CLIENT_ORIGINS: 'https://client.example.com/', LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/NODE_ENV/);
    expect(problems).toMatch(/BK_CLIENT_ORIGINS/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('when an origin is a wildcard, then it is refused', () => {
    expect(() => loadConfig({ BK_SITE_ORIGINS: '*' })).toThrow(/BK_SITE_ORIGINS/);
  });

  it('when production has no DATABASE_URL or uses http origins, then it refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL is required/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/STRIPE_SECRET_KEY is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', BK_SITE_ORIGINS: 'http://site.example' })).toThrow(/must be https/);
  });

  it('when production is configured, then demo seeding is off whatever BK_SEED_DEMO says', () => {
    const c = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', STRIPE_WEBHOOK_SECRET: 'whsec_test_only', STRIPE_SECRET_KEY: 'sk_test_never_called', BK_SEED_DEMO: 'true', BK_SITE_ORIGINS: 'https://site.example', BK_CLIENT_ORIGINS: 'https://client.example', BK_ADMIN_ORIGINS: 'https://admin.example' });
    expect(c.seedDemo).toBe(false);
  });

  it('when --surfaces is given, then only those surfaces are served; an unknown one is an error', () => {
    expect(loadConfig({}, ['--surfaces', 'site,ops']).surfaces).toEqual(['site', 'ops']);
    expect(loadConfig({}, ['--surfaces=admin']).surfaces).toEqual(['admin']);
    expect(() => loadConfig({}, ['--surfaces', 'site,moon'])).toThrow(/--surfaces/);
  });

  it('when database timeouts are set, then every wait is bounded, and a client timeout not above the statement timeout is refused', () => {
    const c = loadConfig({ BK_DB_STATEMENT_TIMEOUT_MS: '2000' });
    expect(c).toMatchObject({ dbConnectTimeoutMs: 5_000, dbStatementTimeoutMs: 2_000, dbQueryTimeoutMs: 7_000, dbIdleInTransactionTimeoutMs: 120_000, dbKeepAliveMs: 10_000 });
    expect(() => loadConfig({ BK_DB_STATEMENT_TIMEOUT_MS: '2000', BK_DB_QUERY_TIMEOUT_MS: '2000' })).toThrow(/BK_DB_QUERY_TIMEOUT_MS must be longer/);
    expect(() => loadConfig({ BK_DB_CONNECT_TIMEOUT_MS: '0' })).toThrow(/BK_DB_CONNECT_TIMEOUT_MS/);
  });
});
