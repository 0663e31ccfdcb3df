/** Rate limits from the contract: per IP, per actor, Retry-After that tells the truth, XFF only from trusted proxies. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../generated/v1/operations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, freshIp, ORIGINS, seedCast, SECURITY_HEADERS } from './support.js';

const ENQUIRY = '/api/v1/site/enquiries';
const IP_RULE = operations.submitEnquiry.guard.rateLimit.ip!;
const enquiry = () => ({
  name: 'Ada',
  email: `ada-${randomUUID().slice(0, 8)}@example.com`,
  message: `Hello ${randomUUID()}`,
});

describe('per IP (trusted proxy)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });
  const submit = (ip: string) =>
    testApp.api({ origin: ORIGINS.site }, { ip }).POST(ENQUIRY, { body: enquiry() });

  it(`when one IP passes the enquiry limit (${IP_RULE.limit} per ${IP_RULE.windowSeconds}s), then 429 with Retry-After and a problem; other IPs are unaffected; after Retry-After it is allowed again`, async () => {
    const ip = freshIp();
    for (let index = 0; index < IP_RULE.limit; index++)
      expect((await submit(ip)).response.status).toBe(201);
    const limited = await submit(ip);
    const body = expectProblem(limited, 429, 'REQUEST.RATE_LIMITED');
    const retryAfter = Number(limited.response.headers.get('retry-after'));
    // A sliding window still weighs the previous window, so the honest wait can pass one window
    // length (never two); how far depends on where in the window the burst fell.
    expect(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2 * IP_RULE.windowSeconds,
    ).toBe(true);
    expect(body.retryAfterSeconds).toBe(retryAfter);
    for (const [key, value] of Object.entries(SECURITY_HEADERS))
      expect(limited.response.headers.get(key)).toBe(value);

    expect((await submit(freshIp())).response.status).toBe(201);

    // Just before Retry-After: still limited.
    testApp.clock.advance(retryAfter * 1000 - 1500);
    expect((await submit(ip)).response.status).toBe(429);
    // At Retry-After, the client it was given to may come back.
    testApp.clock.advance(1500);
    const again = await submit(ip);
    expect(
      again.response.status,
      `allowed again ${retryAfter}s later? ${JSON.stringify(again.error)}`,
    ).toBe(201);
  });

  it('when the whole window passes twice, then the IP has its full allowance back', async () => {
    const ip = freshIp();
    for (let index = 0; index < IP_RULE.limit; index++) await submit(ip);
    expect((await submit(ip)).response.status).toBe(429);
    testApp.clock.advance(2 * IP_RULE.windowSeconds * 1000);
    for (let index = 0; index < IP_RULE.limit; index++)
      expect((await submit(ip)).response.status).toBe(201);
    expect((await submit(ip)).response.status).toBe(429);
  });

  it('when an attacker prepends spoofed entries to X-Forwarded-For behind the trusted proxy, then the real client address (the rightmost untrusted hop) is still limited', async () => {
    const real = freshIp();
    for (let index = 0; index < IP_RULE.limit; index++)
      expect(
        (
          await testApp
            .api({ origin: ORIGINS.site, 'x-forwarded-for': `203.0.113.${index}, ${real}` })
            .POST('/api/v1/site/enquiries', { body: enquiry() })
        ).response.status,
      ).toBe(201);
    const res = await testApp
      .api({ origin: ORIGINS.site, 'x-forwarded-for': `198.51.100.7, ${real}` })
      .POST('/api/v1/site/enquiries', { body: enquiry() });
    expectProblem(res, 429, 'REQUEST.RATE_LIMITED');
  });
});

describe('per actor', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('when one session passes its password-change limit from many IPs, then 429: the actor bucket does not care about the address', async () => {
    const cast = await seedCast(testApp);
    const rule = operations.clientChangePassword.guard.rateLimit.actor!;
    const attempt = () =>
      testApp.api(cast.client.headers(), { ip: freshIp() }).POST('/api/v1/client/auth/password', {
        body: {
          currentPassword: 'wrong guess number one',
          newPassword: 'a much longer passphrase of mine',
        },
      });
    for (let index = 0; index < rule.limit; index++)
      expect((await attempt()).response.status).not.toBe(429);
    expectProblem(await attempt(), 429, 'REQUEST.RATE_LIMITED');
    // Another session (the admin) is not affected by the client's bucket.
    const admin = await testApp
      .api(cast.admin.headers(), { ip: freshIp() })
      .GET('/api/v1/admin/auth/me');
    expect(admin.response.status).toBe(200);
  });
});

describe('X-Forwarded-For from an untrusted peer', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ env: { BK_TRUSTED_PROXIES: '' } });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('when no proxy is trusted and every request claims another X-Forwarded-For, then they all share the peer address bucket', async () => {
    expect(testApp.app.config.trustedProxies).toEqual([]);
    for (let index = 0; index < IP_RULE.limit; index++) {
      const res = await testApp
        .api({ origin: ORIGINS.site }, { ip: `192.0.2.${index + 1}` })
        .POST('/api/v1/site/enquiries', { body: enquiry() });
      expect(res.response.status).toBe(201);
    }
    const res = await testApp
      .api({ origin: ORIGINS.site }, { ip: '192.0.2.200' })
      .POST('/api/v1/site/enquiries', { body: enquiry() });
    expectProblem(res, 429, 'REQUEST.RATE_LIMITED');
  });
});
