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

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ start: new Date('2026-11-27T10:00:00.000Z') });
});
afterAll(async () => {
  await t?.close();
});

const MIN = 60_000;
let ipCounter = 0;
const ip = () => `198.51.100.${++ipCounter}`;

describe('session cookie in production', () => {
  it('when the app runs in production, then the cookie is __Host-bk_client_session with Secure, Path=/ and no Domain', () => {
    expect(sessionCookieName('client', true)).toBe('__Host-bk_client_session');
    expect(sessionCookieName('admin', true)).toBe('__Host-bk_admin_session');
    const c = serializeSessionCookie(sessionCookieName('client', true), 'tok', {
      maxAgeSeconds: 60,
      secure: true,
    });
    expect(c).toBe(
      '__Host-bk_client_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure',
    );
    expect(c).not.toContain('Domain');
  });
});

describe('me', () => {
  it('when a signed-in client calls me, then it gets its user, the same CSRF token and a refreshed idle expiry', async () => {
    const u = await insertUser(t, { role: 'client' });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    t.clock.advance(10 * MIN);
    const res = await me(t, 'client', s.cookie);
    expect(res.response.status).toBe(200);
    const body = res.data!;
    expect(body.user.id).toBe(u.id);
    expect(body.csrfToken).toBe(s.csrfToken);
    expect(body.session.idleExpiresAt).toBe(new Date(t.clock.nowMs() + 30 * MIN).toISOString());
    expect(body.session.absoluteExpiresAt).toBe(s.body.session.absoluteExpiresAt);
  });

  it('when me is called without a cookie or with a made-up one, then it is 401', async () => {
    expect((await t.api().GET('/api/v1/client/auth/me')).response.status).toBe(401);
    const forged = await me(t, 'client', 'bk_client_session=' + 'A'.repeat(43));
    expect(forged.response.status).toBe(401);
    expect(forged.error?.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it("when the other surface's cookie is sent, then it is 401 on both surfaces", async () => {
    const client = await insertUser(t, { role: 'client' });
    const staff = await insertUser(t, { role: 'staff' });
    const cs = await signIn(t, 'client', client.email, client.password, ip());
    const as = await signIn(t, 'admin', staff.email, staff.password, ip());
    expect((await me(t, 'admin', cs.cookie)).response.status).toBe(401);
    expect((await me(t, 'client', as.cookie)).response.status).toBe(401);
    // The same token under the other surface's cookie name does not resolve either.
    const clientToken = cs.cookie.split('=')[1]!;
    expect((await me(t, 'admin', `bk_admin_session=${clientToken}`)).response.status).toBe(401);
    const adminToken = as.cookie.split('=')[1]!;
    expect((await me(t, 'client', `bk_client_session=${adminToken}`)).response.status).toBe(401);
  });
});

describe('timeouts', () => {
  it('when a client session is idle for 30 min, then it is gone; 29 min of idling with activity keeps it alive', async () => {
    const u = await insertUser(t, { role: 'client' });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    t.clock.advance(29 * MIN);
    expect((await me(t, 'client', s.cookie)).response.status).toBe(200);
    t.clock.advance(29 * MIN);
    expect((await me(t, 'client', s.cookie)).response.status).toBe(200);
    t.clock.advance(30 * MIN);
    const res = await me(t, 'client', s.cookie);
    expect(res.response.status).toBe(401);
    expect(String(res.response.headers.getSetCookie())).toMatch(/^bk_client_session=; .*Max-Age=0/);
  });

  it('when an admin session is idle for 15 min, then it is gone', async () => {
    const u = await insertUser(t, { role: 'admin' });
    const s = await signIn(t, 'admin', u.email, u.password, ip());
    t.clock.advance(14 * MIN);
    expect((await me(t, 'admin', s.cookie)).response.status).toBe(200);
    t.clock.advance(15 * MIN);
    expect((await me(t, 'admin', s.cookie)).response.status).toBe(401);
  });

  it('when a session is used steadily for 12 h, then it ends at the absolute timeout anyway', async () => {
    const u = await insertUser(t, { role: 'client' });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    for (let elapsed = 0; elapsed < 12 * 60 - 20; elapsed += 20) {
      t.clock.advance(20 * MIN);
      expect((await me(t, 'client', s.cookie)).response.status).toBe(200);
    }
    t.clock.advance(20 * MIN);
    expect((await me(t, 'client', s.cookie)).response.status).toBe(401);
  });
});

describe('logout', () => {
  it('when a client logs out, then it gets 204, the cookie is cleared and the old cookie is 401 on the server', async () => {
    const u = await insertUser(t, { role: 'client' });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    const other = await signIn(t, 'client', u.email, u.password, ip());
    const res = await logout(t, 'client', s);
    expect(res.response.status).toBe(204);
    expect(String(res.response.headers.getSetCookie())).toMatch(
      /^bk_client_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/,
    );
    expect((await me(t, 'client', s.cookie)).response.status).toBe(401);
    expect((await me(t, 'client', other.cookie)).response.status).toBe(200);
    const events = await sessionsEndedEvents(t);
    const ended = await t.app.db.query<{ id: string }>(
      "SELECT id FROM sessions WHERE user_id = $1 AND revoked_reason = 'logout'",
      [u.id],
    );
    expect(ended.rows).toHaveLength(1);
    expect(events.at(-1)).toEqual({
      userId: u.id,
      sessionIds: [ended.rows[0]!.id],
      reason: 'logout',
    });
  });

  it('when an admin logs out, then the admin session ends', async () => {
    const u = await insertUser(t, { role: 'staff' });
    const s = await signIn(t, 'admin', u.email, u.password, ip());
    expect((await logout(t, 'admin', s)).response.status).toBe(204);
    expect((await me(t, 'admin', s.cookie)).response.status).toBe(401);
  });

  it('when logout comes without the CSRF token or without a session, then it is 403 or 401 and the session lives on', async () => {
    const u = await insertUser(t, { role: 'client' });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    const noToken = await t
      .api({ cookie: s.cookie, origin: ORIGINS.client })
      .POST('/api/v1/client/auth/logout');
    expect(noToken.response.status).toBe(403);
    expect((await me(t, 'client', s.cookie)).response.status).toBe(200);
    expect(
      (await t.api({ origin: ORIGINS.client }).POST('/api/v1/client/auth/logout')).response.status,
    ).toBe(401);
  });
});

describe('change password', () => {
  it('when the current password is right, then it is 204, other sessions end, this one goes on, and the new password signs in', async () => {
    const u = await insertUser(t, { role: 'client' });
    const here = await signIn(t, 'client', u.email, u.password, ip());
    const there = await signIn(t, 'client', u.email, u.password, ip());
    const elsewhere = await signIn(t, 'client', u.email, u.password, ip());
    const res = await changePassword(t, 'client', here, {
      currentPassword: u.password,
      newPassword: 'a much longer passphrase of mine',
    });
    expect(res.response.status).toBe(204);
    expect((await me(t, 'client', here.cookie)).response.status).toBe(200);
    expect((await me(t, 'client', there.cookie)).response.status).toBe(401);
    expect((await me(t, 'client', elsewhere.cookie)).response.status).toBe(401);
    expect((await login(t, 'client', u, ip())).response.status).toBe(401);
    expect(
      (
        await login(
          t,
          'client',
          { email: u.email, password: 'a much longer passphrase of mine' },
          ip(),
        )
      ).response.status,
    ).toBe(200);
    const event = (await sessionsEndedEvents(t)).at(-1)!;
    expect(event.reason).toBe('password_changed');
    expect(event.userId).toBe(u.id);
    expect(event.sessionIds).toHaveLength(2);
  });

  it('when an admin-surface user changes the password, then the other admin session ends', async () => {
    const u = await insertUser(t, { role: 'staff' });
    const here = await signIn(t, 'admin', u.email, u.password, ip());
    const there = await signIn(t, 'admin', u.email, u.password, ip());
    expect(
      (
        await changePassword(t, 'admin', here, {
          currentPassword: u.password,
          newPassword: 'another long passphrase here',
        })
      ).response.status,
    ).toBe(204);
    expect((await me(t, 'admin', here.cookie)).response.status).toBe(200);
    expect((await me(t, 'admin', there.cookie)).response.status).toBe(401);
  });

  it('when the current password is wrong, then it is 422 IDENTITY.CURRENT_PASSWORD_WRONG and nothing changes', async () => {
    const u = await insertUser(t, { role: 'client' });
    const here = await signIn(t, 'client', u.email, u.password, ip());
    const there = await signIn(t, 'client', u.email, u.password, ip());
    const res = await changePassword(t, 'client', here, {
      currentPassword: 'not my password',
      newPassword: 'a much longer passphrase of mine',
    });
    expect(res.response.status).toBe(422);
    expect(res.error?.code).toBe('IDENTITY.CURRENT_PASSWORD_WRONG');
    expect((await me(t, 'client', there.cookie)).response.status).toBe(200);
  });

  it('when the new password is common, contains the e-mail local part, or too short, then it is rejected', async () => {
    const u = await insertUser(t, {
      role: 'client',
      email: `marguerite.${Date.now()}@example.com`,
    });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    const common = await changePassword(t, 'client', s, {
      currentPassword: u.password,
      newPassword: 'Password123',
    });
    expect(common.response.status).toBe(422);
    expect(common.error?.code).toBe('IDENTITY.PASSWORD_REJECTED');
    const own = await changePassword(t, 'client', s, {
      currentPassword: u.password,
      newPassword: `my ${u.email.split('@')[0]} pass`,
    });
    expect(own.response.status).toBe(422);
    expect(own.error?.code).toBe('IDENTITY.PASSWORD_REJECTED');
    expect(
      (await changePassword(t, 'client', s, { currentPassword: u.password, newPassword: 'short' }))
        .response.status,
    ).toBe(400);
    expect((await login(t, 'client', u, ip())).response.status).toBe(200);
  });

  it('when change password comes without the CSRF token, then it is 403', async () => {
    const u = await insertUser(t, { role: 'client' });
    const s = await signIn(t, 'client', u.email, u.password, ip());
    const res = await t
      .api({ cookie: s.cookie, origin: ORIGINS.client })
      .POST('/api/v1/client/auth/password', {
        body: { currentPassword: u.password, newPassword: 'a much longer passphrase of mine' },
      });
    expect(res.response.status).toBe(403);
  });
});
