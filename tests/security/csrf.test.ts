/**
 * CSRF: an unsafe request on a cookie session needs the surface's exact Origin and the session's
 * own token. Every refused attempt must leave the state as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import {
  expectProblem,
  freshIp,
  ORIGINS,
  seedCast,
  signInStaff,
  submitEnquiry,
  type Cast,
} from './support.js';

let testApp: TestApp;
let cast: Cast;
let otherAdmin: SignedIn;

beforeAll(async () => {
  testApp = await startTestApp();
  cast = await seedCast(testApp);
  // A second admin session of the same user: its token must not work with the first cookie.
  otherAdmin = await signIn(
    testApp,
    'admin',
    cast.demo.admin.email,
    cast.demo.admin.password,
    freshIp(),
  );
});
afterAll(async () => {
  await testApp?.close();
});

type Attack = [label: string, headers: (signedIn: SignedIn) => Record<string, string>];
const attacks = (surface: 'client' | 'admin'): Attack[] => [
  ['a foreign Origin', (signedIn) => signedIn.headers({ origin: ORIGINS.evil })],
  ['the site Origin', (signedIn) => signedIn.headers({ origin: ORIGINS.site })],
  [
    `the ${surface === 'admin' ? 'client' : 'admin'} surface's Origin`,
    (signedIn) =>
      signedIn.headers({ origin: surface === 'admin' ? ORIGINS.client : ORIGINS.admin }),
  ],
  [
    'a missing Origin',
    (signedIn) => {
      const handle = signedIn.headers();
      delete handle['origin'];
      return handle;
    },
  ],
  [
    'a Referer but no Origin',
    (signedIn) => {
      const handle = signedIn.headers({ referer: `${ORIGINS[surface]}/` });
      delete handle['origin'];
      return handle;
    },
  ],
  [
    'a missing token',
    (signedIn) => {
      const handle = signedIn.headers();
      delete handle['x-csrf-token'];
      return handle;
    },
  ],
  ['an empty token', (signedIn) => signedIn.headers({ 'x-csrf-token': '' })],
  [
    "another session's token",
    (signedIn) =>
      signedIn.headers({
        'x-csrf-token': (surface === 'admin'
          ? signedIn === otherAdmin
            ? cast.admin
            : otherAdmin
          : cast.admin
        ).csrfToken,
      }),
  ],
  [
    'the token with one character changed',
    (signedIn) =>
      signedIn.headers({
        'x-csrf-token':
          signedIn.csrfToken.slice(0, -1) + (signedIn.csrfToken.endsWith('A') ? 'B' : 'A'),
      }),
  ],
];

describe('advancing an enquiry (admin, enquiries:write)', () => {
  let enquiryId: string;
  beforeAll(async () => {
    enquiryId = await submitEnquiry(testApp);
  });

  it.each(attacks('admin'))(
    'when it comes with %s, then 403 AUTH.CSRF_FAILED and the enquiry is unchanged',
    async (_label, headers) => {
      const res = await testApp
        .api(headers(cast.admin), { ip: freshIp() })
        .POST('/api/v1/admin/enquiries/{enquiryId}/status', {
          params: { path: { enquiryId } },
          body: { to: 'contacted', reason: 'Forged.' },
        });
      expectProblem(res, 403, 'AUTH.CSRF_FAILED');
      const asAdmin = testApp.api(cast.admin.headers(), { ip: freshIp() });
      const after = await asAdmin.GET('/api/v1/admin/enquiries/{enquiryId}', {
        params: { path: { enquiryId } },
      });
      expect(after.data!.status).toBe('received');
      const audit = await asAdmin.GET('/api/v1/admin/enquiries/{enquiryId}/audit', {
        params: { path: { enquiryId } },
      });
      expect(audit.data!.items).toHaveLength(1);
      const { rows } = await testApp.app.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM outbox WHERE type = 'enquiry.status_changed'",
      );
      expect(rows[0]!.n).toBe(0);
    },
  );

  it('when it comes with the exact Origin and its own token, then it is applied (the attacks above were refused for the right reason)', async () => {
    const res = await testApp
      .api(cast.admin.headers(), { ip: freshIp() })
      .POST('/api/v1/admin/enquiries/{enquiryId}/status', {
        params: { path: { enquiryId } },
        body: { to: 'contacted', reason: 'Called back.' },
      });
    expect(res.response.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data!.status).toBe('contacted');
  });
});

describe('disabling a user (admin, users:write)', () => {
  it.each(attacks('admin'))(
    'when it comes with %s, then 403 AUTH.CSRF_FAILED and the staff user can still sign in',
    async (_label, headers) => {
      const res = await testApp
        .api(headers(cast.admin), { ip: freshIp() })
        .POST('/api/v1/admin/users/{userId}/disable', {
          params: { path: { userId: cast.staff.id } },
        });
      expectProblem(res, 403, 'AUTH.CSRF_FAILED');
      const staff = await signInStaff(testApp, cast);
      expect(staff.body.user.status).toBe('active');
    },
  );
});

describe('signing out and changing password (client)', () => {
  it.each(attacks('client'))(
    'when logout comes with %s, then 403 AUTH.CSRF_FAILED and the session still works',
    async (_label, headers) => {
      const res = await testApp
        .api(headers(cast.client), { ip: freshIp() })
        .POST('/api/v1/client/auth/logout');
      expectProblem(res, 403, 'AUTH.CSRF_FAILED');
      const me = await testApp
        .api({ cookie: cast.client.cookie }, { ip: freshIp() })
        .GET('/api/v1/client/auth/me');
      expect(me.response.status).toBe(200);
    },
  );

  it.each(attacks('client').slice(0, 4))(
    'when a password change comes with %s, then 403 AUTH.CSRF_FAILED and the old password still signs in',
    async (_label, headers) => {
      const res = await testApp
        .api(headers(cast.client), { ip: freshIp() })
        .POST('/api/v1/client/auth/password', {
          body: {
            currentPassword: cast.demo.client.password,
            newPassword: 'an attacker chose this passphrase',
          },
        });
      expectProblem(res, 403, 'AUTH.CSRF_FAILED');
      await signIn(testApp, 'client', cast.demo.client.email, cast.demo.client.password, freshIp());
    },
  );
});
