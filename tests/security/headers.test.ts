/**
 * Security headers on every response (success, client errors, 429, 431 and 500), HSTS only in
 * production, TRACE refused, 2,001 headers refused while the process lives on.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import type { RawResponse } from '../support/http.js';
import { rawConnection } from '../support/raw-connection.js';
import {
  expectProblem,
  freshIp,
  headerOf,
  ORIGINS,
  SECURITY_HEADERS,
  statusOf,
  textOf,
  type Answer,
} from './support.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

function expectSecurityHeaders(res: Answer, production = false): void {
  const status = statusOf(res);
  for (const [key, value] of Object.entries(SECURITY_HEADERS))
    expect(headerOf(res, key), `${key} on a ${status}`).toBe(value);
  if (production)
    expect(headerOf(res, 'strict-transport-security'), `HSTS on a ${status}`).toMatch(
      /^max-age=\d{7,}/,
    );
  else
    expect(
      headerOf(res, 'strict-transport-security'),
      `no HSTS outside production (${status})`,
    ).toBeUndefined();
}

const enquiry = () => ({
  name: 'Ada',
  email: `ada-${randomUUID().slice(0, 8)}@example.com`,
  message: `Hello ${randomUUID()}`,
});

/** One request per kind of answer; `ip` keeps the 429 from touching the others' buckets. */
function everyKindOfResponse(
  app: () => TestApp,
  origins: { site: string } = ORIGINS,
): [string, number, () => Promise<Answer>][] {
  const limited = freshIp();
  const post = (origin: string, body: ReturnType<typeof enquiry>) =>
    app().api({ origin }, { ip: freshIp() }).POST('/api/v1/site/enquiries', { body });
  return [
    ['200', 200, () => app().api({}, { ip: freshIp() }).GET('/api/v1/health')],
    ['201', 201, () => post(origins.site, enquiry())],
    [
      '204 preflight',
      204,
      () =>
        // Raw: a preflight (OPTIONS) is not a contract operation.
        app().request({
          method: 'OPTIONS',
          path: '/api/v1/site/enquiries',
          headers: { origin: origins.site, 'access-control-request-method': 'POST' },
          ip: freshIp(),
        }),
    ],
    [
      '400',
      400,
      () =>
        // Raw: a body the contract forbids.
        app().request({
          method: 'POST',
          path: '/api/v1/site/enquiries',
          headers: { origin: origins.site },
          body: { nope: 1 },
          ip: freshIp(),
        }),
    ],
    ['401', 401, () => app().api({}, { ip: freshIp() }).GET('/api/v1/admin/auth/me')],
    ['403', 403, () => post(ORIGINS.evil, enquiry())],
    [
      '404',
      404,
      // Raw: a path the contract does not have.
      () => app().request({ method: 'GET', path: '/api/v1/nothing-here', ip: freshIp() }),
    ],
    // Raw: a method the contract does not have.
    ['405', 405, () => app().request({ method: 'DELETE', path: '/api/v1/health', ip: freshIp() })],
    ['413', 413, () => post(origins.site, { ...enquiry(), message: 'x'.repeat(20_000) })],
    [
      '415',
      415,
      () =>
        // Raw: a media type the typed client never sends.
        app().request({
          method: 'POST',
          path: '/api/v1/site/enquiries',
          headers: { origin: origins.site, 'content-type': 'text/plain' },
          body: 'hello',
          ip: freshIp(),
        }),
    ],
    [
      '429',
      429,
      async () => {
        let last: RawResponse | undefined;
        for (let index = 0; index < 7; index++)
          last = await app().request({
            method: 'POST',
            path: '/api/v1/site/enquiries',
            headers: { origin: origins.site },
            body: { nope: index },
            ip: limited,
          });
        return last!;
      },
    ],
  ];
}

describe('security headers', () => {
  it.each(everyKindOfResponse(() => testApp))(
    'when the answer is a %s, then it carries nosniff, the CSP, Referrer-Policy and no HSTS',
    async (_label, status, call) => {
      const res = await call();
      expect(statusOf(res), textOf(res)).toBe(status);
      expectSecurityHeaders(res);
      if (status >= 400)
        expect(String(headerOf(res, 'content-type'))).toMatch(/^application\/problem\+json/);
    },
  );

  // Raw: TRACE is no method of the contract.
  it('when TRACE is sent to a real path, then 405 with the security headers', async () => {
    const res = await testApp.request({ method: 'TRACE', path: '/api/v1/health', ip: freshIp() });
    expectProblem(res, 405, 'REQUEST.METHOD_NOT_ALLOWED');
    expectSecurityHeaders(res);
    expect(res.text).not.toContain('x-forwarded-for');
  });

  it('when TRACE is sent to an unknown path, then 405 (not echoed, not 404)', async () => {
    // Raw: TRACE to a path the contract does not have.
    const res = await testApp.request({
      method: 'TRACE',
      path: '/anything',
      headers: { 'x-secret': 'echo-me' },
      ip: freshIp(),
    });
    expect(res.status).toBe(405);
    expect(res.text).not.toContain('echo-me');
  });
});

// Raw: thousands of headers (one repeated 2,001 times) are for node:http, not the typed client.
describe('too many headers', () => {
  it('when 2,001 small headers are sent, then 431 with the security headers, and the next request is answered', async () => {
    const res = await testApp.request({
      method: 'GET',
      path: '/api/v1/health',
      headers: { 'x-a': Array.from({ length: 2001 }, () => '1') },
    });
    expect(res.status).toBe(431);
    expectSecurityHeaders(res);
    const next = await testApp.api({}, { ip: freshIp() }).GET('/api/v1/health');
    expect(next.response.status).toBe(200);
  });

  it('when 2,001 distinct headers (over 16 KiB) are sent, then 431 from the parser with the security headers, and the next request is answered', async () => {
    const headers: Record<string, string> = {};
    for (let index = 0; index < 2001; index++) headers[`x-header-${index}`] = String(index);
    const res = await testApp
      // Raw: 2,001 distinct headers.
      .request({ method: 'GET', path: '/api/v1/health', headers })
      .catch(
        (err: Error) => ({ status: -1, headers: {}, text: err.message }) as unknown as RawResponse,
      );
    expect(res.status, res.text).toBe(431);
    expectSecurityHeaders(res);
    const next = await testApp.api({}, { ip: freshIp() }).GET('/api/v1/health');
    expect(next.response.status).toBe(200);
  });
});

/** Sends a raw request (with `Connection: close`) and resolves with all the server sent before it hung up. */
async function rawRequest(head: string): Promise<string> {
  const item = rawConnection(testApp.app.port);
  item.socket.write(head);
  await item.closed;
  return item.received;
}

describe('raw requests the parser lets through', () => {
  it('when 2,001 headers come before Host, then 431 from BalanceGuard (not a bare 400 from Node) with the security headers', async () => {
    const res = await rawRequest(
      `GET /api/v1/health HTTP/1.1\r\n${'x-a: 1\r\n'.repeat(2001)}Host: x\r\nConnection: close\r\n\r\n`,
    );
    expect(res).toMatch(/^HTTP\/1\.1 431 /);
    expect(res.toLowerCase()).toContain(
      "content-security-policy: default-src 'none'; frame-ancestors 'none'",
    );
  });

  it('when an HTTP/1.1 request has no Host, then 400 problem with the security headers', async () => {
    const res = await rawRequest('GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 400 /);
    expect(res.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(res).toContain('/headers/host');
  });
});

describe('a 500', () => {
  it('when a handler fails on the database, then 500 with only type, title, status, code and requestId, the security headers, and no SQL or stack', async () => {
    await testApp.app.db.query('DROP TABLE enquiry_audit');
    await testApp.app.db.query('DROP TABLE enquiries');
    const res = await testApp
      .api({ origin: ORIGINS.site, 'x-request-id': 'req-500-check-1' }, { ip: freshIp() })
      .POST('/api/v1/site/enquiries', { body: enquiry() });
    const body = expectProblem(res, 500, 'SERVER.INTERNAL');
    expect(Object.keys(body).sort()).toEqual(['code', 'requestId', 'status', 'title', 'type']);
    expect(body.requestId).toBe('req-500-check-1');
    expect(headerOf(res, 'x-request-id')).toBe('req-500-check-1');
    expect(textOf(res)).not.toMatch(
      /enquir(y|ies)_?|relation|SELECT|INSERT|at .*\.ts|node_modules|stack/i,
    );
    expectSecurityHeaders(res);
    // The failure is logged for operators, with the request id to find it.
    expect(testApp.logs.text).toContain('req-500-check-1');
  });
});

describe('production', () => {
  let prod: TestApp;
  const origins = {
    site: 'https://site.example',
    client: 'https://client.example',
    admin: 'https://admin.example',
  };
  beforeAll(async () => {
    prod = await startTestApp({
      env: {
        NODE_ENV: 'production',
        // Required by the config in production; startTestApp passes the real test database URL itself.
        DATABASE_URL: 'postgres://unused.invalid/unused',
        BK_SITE_ORIGINS: origins.site,
        BK_CLIENT_ORIGINS: origins.client,
        BK_ADMIN_ORIGINS: origins.admin,
        STRIPE_WEBHOOK_SECRET: 'whsec_test_only',
        STRIPE_SECRET_KEY: 'sk_test_never_called',
      },
    });
  });
  afterAll(async () => {
    await prod?.close();
  });

  it('when the app runs in production, then the config says so (response validation off)', () => {
    expect(prod.app.config.env).toBe('production');
    expect(prod.app.config.validateResponses).toBe(false);
  });

  it.each(everyKindOfResponse(() => prod, origins))(
    'when a production answer is a %s, then it also carries HSTS',
    async (_label, status, call) => {
      const res = await call();
      expect(statusOf(res), textOf(res)).toBe(status);
      expectSecurityHeaders(res, true);
    },
  );
});
