/** After a full run of sign-ins, password changes and enquiries, no secret appears in the logs. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { freshIp, ORIGINS, seedCast, signInStaff, submitEnquiry } from './support.js';

let testApp: TestApp;
const secrets = new Map<string, string>();
const remember = (label: string, value: string | undefined) => {
  if (value) secrets.set(value, label);
};
const cookieValue = (pair: string) => pair.slice(pair.indexOf('=') + 1);

beforeAll(async () => {
  testApp = await startTestApp();
  const cast = await seedCast(testApp);
  remember('demo admin password', cast.demo.admin.password);
  remember('demo client password', cast.demo.client.password);
  remember('staff password', cast.staff.password);
  for (const [who, signedIn] of [
    ['admin', cast.admin],
    ['client', cast.client],
  ] as const) {
    remember(`${who} session cookie`, cookieValue(signedIn.cookie));
    remember(`${who} csrf token`, signedIn.csrfToken);
  }

  // A wrong password, an unknown user, and a password attempt carried in an Authorization header.
  const wrong = `wrong-${randomUUID()}`;
  remember('wrong password', wrong);
  await testApp
    .api({ origin: ORIGINS.client }, { ip: freshIp() })
    .POST('/api/v1/client/auth/login', {
      body: { email: cast.demo.client.email, password: wrong },
    });
  await testApp
    .api({ origin: ORIGINS.admin }, { ip: freshIp() })
    .POST('/api/v1/admin/auth/login', { body: { email: 'nobody@example.com', password: wrong } });
  const bearer = `bearer-${randomUUID()}`;
  remember('authorization header', bearer);
  await testApp
    .api(
      { authorization: `Bearer ${bearer}`, cookie: `bk_admin_session=${bearer}` },
      { ip: freshIp() },
    )
    .GET('/api/v1/admin/auth/me');

  // A staff session, enquiries and a status change.
  const staff = await signInStaff(testApp, cast);
  remember('staff session cookie', cookieValue(staff.cookie));
  remember('staff csrf token', staff.csrfToken);
  const id = await submitEnquiry(testApp);
  await testApp
    .api(staff.headers(), { ip: freshIp() })
    .POST('/api/v1/admin/enquiries/{enquiryId}/status', {
      params: { path: { enquiryId: id } },
      body: { to: 'contacted', reason: 'Called back.' },
    });
  await testApp.api(staff.headers(), { ip: freshIp() }).GET('/api/v1/admin/enquiries');
  // A CSRF failure with the right cookie (the token shows up in a header that gets logged if anything does).
  await testApp
    .api(staff.headers({ origin: ORIGINS.evil }), { ip: freshIp() })
    .POST('/api/v1/admin/enquiries/{enquiryId}/status', {
      params: { path: { enquiryId: id } },
      body: { to: 'closed', reason: 'x' },
    });

  // Password changes on both surfaces, then sign-ins with the new passwords, then logouts.
  const newClient = `client passphrase ${randomUUID()}`;
  const newAdmin = `admin passphrase ${randomUUID()}`;
  remember('new client password', newClient);
  remember('new admin password', newAdmin);
  const item = await testApp
    .api(cast.client.headers(), { ip: freshIp() })
    .POST('/api/v1/client/auth/password', {
      body: { currentPassword: cast.demo.client.password, newPassword: newClient },
    });
  if (item.response.status >= 300)
    throw new Error(
      `client password change failed: ${item.response.status} ${JSON.stringify(item.error)}`,
    );
  const first = await testApp
    .api(cast.admin.headers(), { ip: freshIp() })
    .POST('/api/v1/admin/auth/password', {
      body: { currentPassword: cast.demo.admin.password, newPassword: newAdmin },
    });
  if (first.response.status >= 300)
    throw new Error(
      `admin password change failed: ${first.response.status} ${JSON.stringify(first.error)}`,
    );
  // A rejected new password (too short) is also a password.
  remember('rejected new password', 'short1');
  const clientAgain = await signIn(testApp, 'client', cast.demo.client.email, newClient, freshIp());
  remember('second client session cookie', cookieValue(clientAgain.cookie));
  remember('second client csrf token', clientAgain.csrfToken);
  await testApp.api(clientAgain.headers(), { ip: freshIp() }).POST('/api/v1/client/auth/password', {
    body: { currentPassword: newClient, newPassword: 'short1' },
  });
  await testApp.api(clientAgain.headers(), { ip: freshIp() }).GET('/api/v1/client/auth/me');
  await testApp.api(clientAgain.headers(), { ip: freshIp() }).POST('/api/v1/client/auth/logout');
  const adminAgain = await signIn(testApp, 'admin', cast.demo.admin.email, newAdmin, freshIp());
  remember('second admin session cookie', cookieValue(adminAgain.cookie));
  remember('second admin csrf token', adminAgain.csrfToken);
  await testApp.api(adminAgain.headers(), { ip: freshIp() }).POST('/api/v1/admin/auth/logout');
});
afterAll(async () => {
  await testApp?.close();
});

describe('captured logs of a full run', () => {
  it('when the run is over, then there are access-log lines for it (the check below has something to look at)', () => {
    expect(testApp.logs.lines.length).toBeGreaterThan(20);
    expect(testApp.logs.text).toContain('/api/v1/admin/auth/login');
    expect(testApp.logs.text).toContain('/api/v1/client/auth/password');
  });

  it('when the logs are searched, then no password, cookie value, session token, CSRF token or Authorization value appears', () => {
    const text = testApp.logs.text;
    const leaked = [...secrets].filter(([value]) => text.includes(value)).map(([, label]) => label);
    expect(leaked).toEqual([]);
  });

  it('when the logs are searched, then no raw Cookie, Set-Cookie, Authorization or X-CSRF-Token header value appears', () => {
    for (const line of testApp.logs.lines) {
      expect(line).not.toMatch(/bk_(client|admin)_session=[A-Za-z0-9_-]{16,}/);
      expect(line).not.toMatch(/"(authorization|x-csrf-token)":"(?!\[Redacted\])/i);
    }
  });
});
