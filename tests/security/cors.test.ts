/** CORS per surface: an exact allowlist from config, credentials only with an exact echo, `Vary: Origin` always. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, freshIp, ORIGINS, seedCast, type Cast } from './support.js';

let testApp: TestApp;
let cast: Cast;

beforeAll(async () => {
  testApp = await startTestApp();
  cast = await seedCast(testApp);
});
afterAll(async () => {
  await testApp?.close();
});

/** The surface's own read (`me`), called with these headers from a fresh address. */
const me = (surface: 'client' | 'admin', headers: Record<string, string>) =>
  testApp.api(headers, { ip: freshIp() }).GET(`/api/v1/${surface}/auth/me`);

/** A site enquiry, posted with these headers from a fresh address. */
const enquiry = (
  headers: Record<string, string>,
  body: { name: string; email: string; message: string },
) => testApp.api(headers, { ip: freshIp() }).POST('/api/v1/site/enquiries', { body });

const header = (res: { response: Response }, name: string) =>
  res.response.headers.get(name) ?? undefined;

function sessionFor(surface: 'site' | 'client' | 'admin'): Record<string, string> {
  if (surface === 'client') return { cookie: cast.client.cookie };
  if (surface === 'admin') return { cookie: cast.admin.cookie };
  return {};
}

describe('simple requests', () => {
  it.each(['client', 'admin'] as const)(
    'when a foreign origin calls a %s operation, then there is no Access-Control-Allow-Origin and Vary: Origin is set',
    async (surface) => {
      const res = await me(surface, { origin: ORIGINS.evil, ...sessionFor(surface) });
      expect(header(res, 'access-control-allow-origin')).toBeUndefined();
      expect(header(res, 'access-control-allow-credentials')).toBeUndefined();
      expect(String(header(res, 'vary'))).toMatch(/\bOrigin\b/i);
    },
  );

  it('when a foreign origin posts an enquiry, then there is no Access-Control-Allow-Origin and it is refused with 403', async () => {
    const res = await enquiry(
      { origin: ORIGINS.evil },
      { name: 'Eve', email: 'eve@example.com', message: 'hello' },
    );
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
    expectProblem(res, 403, 'AUTH.ORIGIN_NOT_ALLOWED');
  });

  it.each(['client', 'admin'] as const)(
    'when the %s origin calls its own operation, then the origin is echoed exactly with credentials and Vary: Origin',
    async (surface) => {
      const res = await me(surface, { origin: ORIGINS[surface], ...sessionFor(surface) });
      expect(res.response.status).toBe(200);
      expect(header(res, 'access-control-allow-origin')).toBe(ORIGINS[surface]);
      expect(header(res, 'access-control-allow-credentials')).toBe('true');
      expect(String(header(res, 'vary'))).toMatch(/\bOrigin\b/i);
    },
  );

  it('when the site origin posts an enquiry, then the origin is echoed exactly with credentials and Vary: Origin', async () => {
    const res = await enquiry(
      { origin: ORIGINS.site },
      { name: 'Ada', email: 'ada-cors@example.com', message: 'CORS echo' },
    );
    expect(res.response.status).toBe(201);
    expect(header(res, 'access-control-allow-origin')).toBe(ORIGINS.site);
    expect(header(res, 'access-control-allow-credentials')).toBe('true');
    expect(String(header(res, 'vary'))).toMatch(/\bOrigin\b/i);
  });

  it.each(['client', 'admin'] as const)(
    'when the site origin calls a %s operation, then there is no Access-Control-Allow-Origin',
    async (surface) => {
      const res = await me(surface, { origin: ORIGINS.site, ...sessionFor(surface) });
      expect(header(res, 'access-control-allow-origin')).toBeUndefined();
      expect(header(res, 'access-control-allow-credentials')).toBeUndefined();
    },
  );

  it.each(['client', 'admin'] as const)(
    'when the site origin makes an unsafe anonymous %s request (login), then 403 and no Access-Control-Allow-Origin',
    async (surface) => {
      const creds = surface === 'client' ? cast.demo.client : cast.demo.admin;
      const res = await testApp
        .api({ origin: ORIGINS.site }, { ip: freshIp() })
        .POST(`/api/v1/${surface}/auth/login`, { body: creds });
      expect(header(res, 'access-control-allow-origin')).toBeUndefined();
      expect(res.response.headers.getSetCookie()).toEqual([]);
      expect(res.response.status).toBe(403);
    },
  );

  it('when the site origin makes an unsafe request with an admin session and its token, then 403 AUTH.CSRF_FAILED', async () => {
    const res = await testApp
      .api(cast.admin.headers({ origin: ORIGINS.site }), { ip: freshIp() })
      .POST('/api/v1/admin/users', {
        body: {
          email: 'x-site@example.com',
          displayName: 'X',
          role: 'staff',
          password: 'a long initial passphrase',
        },
      });
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
    expectProblem(res, 403, 'AUTH.CSRF_FAILED');
  });

  it.each([
    'http://localhost:5175.evil.example',
    'http://localhost:51750',
    'https://localhost:5175',
    'http://localhost:5175/',
    'http://LOCALHOST:5175',
    'null',
    'http://localhost:5175, https://evil.example',
  ])(
    'when the admin origin is imitated by %j, then there is no Access-Control-Allow-Origin',
    async (origin) => {
      const res = await me('admin', { origin, cookie: cast.admin.cookie });
      expect(header(res, 'access-control-allow-origin')).toBeUndefined();
    },
  );

  it('when the ops surface (health) is called from any origin, then it never grants CORS', async () => {
    const res = await testApp
      .api({ origin: ORIGINS.admin }, { ip: freshIp() })
      .GET('/api/v1/health');
    expect(res.response.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
  });

  it('when any response grants CORS, then it is never the wildcard', async () => {
    for (const surface of ['client', 'admin'] as const) {
      const res = await me(surface, { origin: ORIGINS[surface] });
      expect(header(res, 'access-control-allow-origin')).not.toBe('*');
      expect(header(res, 'access-control-allow-origin')).toBe(ORIGINS[surface]);
    }
  });
});

describe('preflights', () => {
  const preflight = (
    path: string,
    origin: string,
    method = 'POST',
    headers = 'content-type, x-csrf-token',
  ) =>
    // Raw: a preflight (OPTIONS) is the browser's, not an operation of the contract.
    testApp.request({
      method: 'OPTIONS',
      path,
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': headers,
      },
      ip: freshIp(),
    });

  it('when the admin origin preflights an admin operation, then 204 with an exact echo, credentials, the method and the CSRF header allowed', async () => {
    const res = await preflight('/api/v1/admin/users', ORIGINS.admin);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGINS.admin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/\bPOST\b/);
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain(
      'x-csrf-token',
    );
    expect(String(res.headers['vary'])).toMatch(/\bOrigin\b/i);
    expect(res.headers['access-control-allow-methods']).not.toContain('*');
    expect(res.headers['access-control-allow-headers']).not.toContain('*');
  });

  it('when the site origin preflights an enquiry, then 204 with an exact echo', async () => {
    const res = await preflight(
      '/api/v1/site/enquiries',
      ORIGINS.site,
      'POST',
      'content-type, idempotency-key',
    );
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGINS.site);
  });

  it.each([
    ['a foreign origin', '/api/v1/admin/users', ORIGINS.evil],
    ['the site origin on an admin operation', '/api/v1/admin/users', ORIGINS.site],
    ['the site origin on a client operation', '/api/v1/client/auth/login', ORIGINS.site],
    ['the client origin on an admin operation', '/api/v1/admin/auth/login', ORIGINS.client],
    ['the admin origin on a client operation', '/api/v1/client/auth/password', ORIGINS.admin],
  ])(
    'when %s preflights, then 403 and no Access-Control-Allow-Origin',
    async (_label, path, origin) => {
      const res = await preflight(path, origin);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expectProblem(res, 403, 'AUTH.ORIGIN_NOT_ALLOWED');
    },
  );
});
