import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { serializeSessionCookie } from '../../server/shared/http/cookies.js';
import { sessionCookieName } from '../../server/shared/security/balanceguard/index.js';
import {
  changePassword,
  insertUser,
  login,
  logout,
  me,
  ORIGINS,
  sessionsEndedEvents,
  signIn,
} from './identity-fixtures.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp({ start: new Date('2026-11-27T10:00:00.000Z') });
});
afterAll(async () => {
  await testApp?.close();
});

const MIN = 60_000;
let ipCounter = 0;
const ip = () => `198.51.100.${++ipCounter}`;

describe('session cookie in production', () => {
  it('when the app runs in production, then the cookie is __Host-bk_client_session with Secure, Path=/ and no Domain', () => {
    expect(sessionCookieName('client', true)).toBe('__Host-bk_client_session');
    expect(sessionCookieName('admin', true)).toBe('__Host-bk_admin_session');
    const char = serializeSessionCookie(sessionCookieName('client', true), 'tok', {
      maxAgeSeconds: 60,
      secure: true,
    });
    expect(char).toBe(
      '__Host-bk_client_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure',
    );
    expect(char).not.toContain('Domain');
  });
});

describe('me', () => {
  it('when a signed-in client calls me, then it gets its user, the same CSRF token and a refreshed idle expiry', async () => {
    const userItem = await insertUser(testApp, { role: 'client' });
    const signedIn = await signIn(testApp, 'client', userItem.email, userItem.password, ip());
    testApp.clock.advance(10 * MIN);
    const res = await me(testApp, 'client', signedIn.cookie);
    expect(res.response.status).toBe(200);
    const body = res.data!;
    expect(body.user.id).toBe(userItem.id);
    expect(body.csrfToken).toBe(signedIn.csrfToken);
    expect(body.session.idleExpiresAt).toBe(
      new Date(testApp.clock.nowMs() + 30 * MIN).toISOString(),
    );
    expect(body.session.absoluteExpiresAt).toBe(signedIn.body.session.absoluteExpiresAt);
  });

  it('when me is called without a cookie or with a made-up one, then it is 401', async () => {
    expect((await testApp.api().GET('/api/v1/client/auth/me')).response.status).toBe(401);
    const forged = await me(testApp, 'client', 'bk_client_session=' + 'A'.repeat(43));
    expect(forged.response.status).toBe(401);
    expect(forged.error?.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it("when the other surface's cookie is sent, then it is 401 on both surfaces", async () => {
    const client = await insertUser(testApp, { role: 'client' });
    const staff = await insertUser(testApp, { role: 'staff' });
    const cs = await signIn(testApp, 'client', client.email, client.password, ip());
    const as = await signIn(testApp, 'admin', staff.email, staff.password, ip());
    expect((await me(testApp, 'admin', cs.cookie)).response.status).toBe(401);
    expect((await me(testApp, 'client', as.cookie)).response.status).toBe(401);
    // The same token under the other surface's cookie name does not resolve either.
    const clientToken = cs.cookie.split('=')[1]!;
    expect((await me(testApp, 'admin', `bk_admin_session=${clientToken}`)).response.status).toBe(
      401,
    );
    const adminToken = as.cookie.split('=')[1]!;
    expect((await me(testApp, 'client', `bk_client_session=${adminToken}`)).response.status).toBe(
      401,
    );
  });
});

describe('timeouts', () => {
  it('when a client session is idle for 30 min, then it is gone; 29 min of idling with activity keeps it alive', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip());
    testApp.clock.advance(29 * MIN);
    expect((await me(testApp, 'client', signedIn.cookie)).response.status).toBe(200);
    testApp.clock.advance(29 * MIN);
    expect((await me(testApp, 'client', signedIn.cookie)).response.status).toBe(200);
    testApp.clock.advance(30 * MIN);
    const res = await me(testApp, 'client', signedIn.cookie);
    expect(res.response.status).toBe(401);
    expect(String(res.response.headers.getSetCookie())).toMatch(/^bk_client_session=; .*Max-Age=0/);
  });

  it('when an admin session is idle for 15 min, then it is gone', async () => {
    const user = await insertUser(testApp, { role: 'admin' });
    const signedIn = await signIn(testApp, 'admin', user.email, user.password, ip());
    testApp.clock.advance(14 * MIN);
    expect((await me(testApp, 'admin', signedIn.cookie)).response.status).toBe(200);
    testApp.clock.advance(15 * MIN);
    expect((await me(testApp, 'admin', signedIn.cookie)).response.status).toBe(401);
  });

  it('when a session is used steadily for 12 h, then it ends at the absolute timeout anyway', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip());
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      testApp.clock.advance(20 * MIN);
      expect((await me(testApp, 'client', signedIn.cookie)).response.status).toBe(200);
    }
    testApp.clock.advance(20 * MIN);
    expect((await me(testApp, 'client', signedIn.cookie)).response.status).toBe(401);
  });
});

describe('logout', () => {
  it('when a client logs out, then it gets 204, the cookie is cleared and the old cookie is 401 on the server', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip());
    const other = await signIn(testApp, 'client', user.email, user.password, ip());
    const res = await logout(testApp, 'client', signedIn);
    expect(res.response.status).toBe(204);
    expect(String(res.response.headers.getSetCookie())).toMatch(
      /^bk_client_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/,
    );
    expect((await me(testApp, 'client', signedIn.cookie)).response.status).toBe(401);
    expect((await me(testApp, 'client', other.cookie)).response.status).toBe(200);
    const events = await sessionsEndedEvents(testApp);
    const ended = await testApp.app.db.query<{ id: string }>(
      "SELECT id FROM sessions WHERE user_id = $1 AND revoked_reason = 'logout'",
      [user.id],
    );
    expect(ended.rows).toHaveLength(1);
    expect(events.at(-1)).toEqual({
      userId: user.id,
      sessionIds: [ended.rows[0]!.id],
      reason: 'logout',
    });
  });

  it('when an admin logs out, then the admin session ends', async () => {
    const user = await insertUser(testApp, { role: 'staff' });
    const signedIn = await signIn(testApp, 'admin', user.email, user.password, ip());
    expect((await logout(testApp, 'admin', signedIn)).response.status).toBe(204);
    expect((await me(testApp, 'admin', signedIn.cookie)).response.status).toBe(401);
  });

  it('when logout comes without the CSRF token or without a session, then it is 403 or 401 and the session lives on', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip());
    const noToken = await testApp
      .api({ cookie: signedIn.cookie, origin: ORIGINS.client })
      .POST('/api/v1/client/auth/logout');
    expect(noToken.response.status).toBe(403);
    expect((await me(testApp, 'client', signedIn.cookie)).response.status).toBe(200);
    expect(
      (await testApp.api({ origin: ORIGINS.client }).POST('/api/v1/client/auth/logout')).response
        .status,
    ).toBe(401);
  });
});

describe('change password', () => {
  it('when the current password is right, then it is 204, other sessions end, this one goes on, and the new password signs in', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const here = await signIn(testApp, 'client', user.email, user.password, ip());
    const there = await signIn(testApp, 'client', user.email, user.password, ip());
    const elsewhere = await signIn(testApp, 'client', user.email, user.password, ip());
    const res = await changePassword(testApp, 'client', here, {
      currentPassword: user.password,
      newPassword: 'a much longer passphrase of mine',
    });
    expect(res.response.status).toBe(204);
    expect((await me(testApp, 'client', here.cookie)).response.status).toBe(200);
    expect((await me(testApp, 'client', there.cookie)).response.status).toBe(401);
    expect((await me(testApp, 'client', elsewhere.cookie)).response.status).toBe(401);
    expect((await login(testApp, 'client', user, ip())).response.status).toBe(401);
    expect(
      (
        await login(
          testApp,
          'client',
          { email: user.email, password: 'a much longer passphrase of mine' },
          ip(),
        )
      ).response.status,
    ).toBe(200);
    const event = (await sessionsEndedEvents(testApp)).at(-1)!;
    expect(event.reason).toBe('password_changed');
    expect(event.userId).toBe(user.id);
    expect(event.sessionIds).toHaveLength(2);
  });

  it('when an admin-surface user changes the password, then the other admin session ends', async () => {
    const user = await insertUser(testApp, { role: 'staff' });
    const here = await signIn(testApp, 'admin', user.email, user.password, ip());
    const there = await signIn(testApp, 'admin', user.email, user.password, ip());
    expect(
      (
        await changePassword(testApp, 'admin', here, {
          currentPassword: user.password,
          newPassword: 'another long passphrase here',
        })
      ).response.status,
    ).toBe(204);
    expect((await me(testApp, 'admin', here.cookie)).response.status).toBe(200);
    expect((await me(testApp, 'admin', there.cookie)).response.status).toBe(401);
  });

  it('when the current password is wrong, then it is 422 IDENTITY.CURRENT_PASSWORD_WRONG and nothing changes', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const here = await signIn(testApp, 'client', user.email, user.password, ip());
    const there = await signIn(testApp, 'client', user.email, user.password, ip());
    const res = await changePassword(testApp, 'client', here, {
      currentPassword: 'not my password',
      newPassword: 'a much longer passphrase of mine',
    });
    expect(res.response.status).toBe(422);
    expect(res.error?.code).toBe('IDENTITY.CURRENT_PASSWORD_WRONG');
    expect((await me(testApp, 'client', there.cookie)).response.status).toBe(200);
  });

  it('when the new password is common, contains the e-mail local part, or too short, then it is rejected', async () => {
    const user = await insertUser(testApp, {
      role: 'client',
      email: `marguerite.${Date.now()}@example.com`,
    });
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip());
    const common = await changePassword(testApp, 'client', signedIn, {
      currentPassword: user.password,
      newPassword: 'Password123',
    });
    expect(common.response.status).toBe(422);
    expect(common.error?.code).toBe('IDENTITY.PASSWORD_REJECTED');
    const own = await changePassword(testApp, 'client', signedIn, {
      currentPassword: user.password,
      newPassword: `my ${user.email.split('@')[0]} pass`,
    });
    expect(own.response.status).toBe(422);
    expect(own.error?.code).toBe('IDENTITY.PASSWORD_REJECTED');
    expect(
      (
        await changePassword(testApp, 'client', signedIn, {
          currentPassword: user.password,
          newPassword: 'short',
        })
      ).response.status,
    ).toBe(400);
    expect((await login(testApp, 'client', user, ip())).response.status).toBe(200);
  });

  it('when change password comes without the CSRF token, then it is 403', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip());
    const res = await testApp
      .api({ cookie: signedIn.cookie, origin: ORIGINS.client })
      .POST('/api/v1/client/auth/password', {
        body: { currentPassword: user.password, newPassword: 'a much longer passphrase of mine' },
      });
    expect(res.response.status).toBe(403);
  });
});
