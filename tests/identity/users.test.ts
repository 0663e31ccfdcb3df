import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components, operations } from '../../generated/v1/types.js';
import { startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import {
  email,
  insertUser,
  login,
  me,
  ORIGINS,
  sessionsEndedEvents,
  signIn,
} from './identity-fixtures.js';

let testApp: TestApp;
let admin: SignedIn;
let adminId: string;
beforeAll(async () => {
  testApp = await startTestApp({ start: new Date('2026-11-27T10:00:00.000Z') });
  const first = await insertUser(testApp, { role: 'admin' });
  adminId = first.id;
  admin = await signIn(testApp, 'admin', first.email, first.password, '192.0.2.1');
});
afterAll(async () => {
  await testApp?.close();
});

const MIN = 60_000;
const PASS = 'a long initial passphrase';

function createStaff(signedIn: SignedIn, body: components['schemas']['CreateStaffUserRequest']) {
  return signedIn.api.POST('/api/v1/admin/users', { body });
}
function list(signedIn: SignedIn, query: operations['listUsers']['parameters']['query'] = {}) {
  // Keeps every call inside the admin session's 15 min idle window while tests move the clock.
  return testApp
    .api({ cookie: signedIn.cookie, origin: ORIGINS.admin })
    .GET('/api/v1/admin/users', { params: { query } });
}
function disable(signedIn: SignedIn, userId: string) {
  return signedIn.api.POST('/api/v1/admin/users/{userId}/disable', {
    params: { path: { userId } },
  });
}

describe('createStaffUser', () => {
  it('when an admin creates a staff user, then it is 201 with exactly the User fields and the user can sign in on admin only', async () => {
    const address = email('grace');
    const res = await createStaff(admin, {
      email: address,
      displayName: 'Grace Hopper',
      role: 'staff',
      password: PASS,
    });
    expect(res.response.status).toBe(201);
    const user = res.data!;
    expect(Object.keys(user).sort()).toEqual([
      'createdAt',
      'displayName',
      'email',
      'id',
      'role',
      'status',
    ]);
    expect(user).toMatchObject({
      email: address,
      displayName: 'Grace Hopper',
      role: 'staff',
      status: 'active',
      createdAt: testApp.clock.now().toISOString(),
    });
    expect(
      (await login(testApp, 'admin', { email: address, password: PASS }, '192.0.2.10')).response
        .status,
    ).toBe(200);
    expect(
      (await login(testApp, 'client', { email: address, password: PASS }, '192.0.2.10')).response
        .status,
    ).toBe(401);
  });

  it('when an admin creates an admin, then it is 201', async () => {
    expect(
      (
        await createStaff(admin, {
          email: email('adm'),
          displayName: 'Second Admin',
          role: 'admin',
          password: PASS,
        })
      ).response.status,
    ).toBe(201);
  });

  it('when the e-mail exists in another case, then it is 409 IDENTITY.EMAIL_TAKEN', async () => {
    const address = email('dup');
    expect(
      (
        await createStaff(admin, {
          email: address,
          displayName: 'First',
          role: 'staff',
          password: PASS,
        })
      ).response.status,
    ).toBe(201);
    const res = await createStaff(admin, {
      email: address.toUpperCase(),
      displayName: 'Second',
      role: 'staff',
      password: PASS,
    });
    expect(res.response.status).toBe(409);
    expect(res.error?.code).toBe('IDENTITY.EMAIL_TAKEN');
  });

  it('when two creations with the same e-mail race, then exactly one is 201 and the other 409', async () => {
    const address = email('race');
    const results = await Promise.all(
      [1, 2].map((index) =>
        createStaff(admin, {
          email: address,
          displayName: `Racer ${index}`,
          role: 'staff',
          password: PASS,
        }),
      ),
    );
    expect(results.map((result) => result.response.status).sort()).toEqual([201, 409]);
  });

  it('when the password is common or contains the e-mail local part, then it is 422 IDENTITY.PASSWORD_REJECTED', async () => {
    const common = await createStaff(admin, {
      email: email('c'),
      displayName: 'C',
      role: 'staff',
      password: 'iloveyou123',
    });
    expect(common.response.status).toBe(422);
    expect(common.error?.code).toBe('IDENTITY.PASSWORD_REJECTED');
    const own = await createStaff(admin, {
      email: 'kitchen.porter@example.com',
      displayName: 'K',
      role: 'staff',
      password: 'kitchen.porter 2026',
    });
    expect(own.response.status).toBe(422);
  });

  it('when the role is super_admin or client, then the contract rejects it with 400', async () => {
    for (const role of ['super_admin', 'client']) {
      // Raw: the contract's StaffRole forbids these roles, so the typed client cannot send them.
      const res = await testApp.request({
        method: 'POST',
        path: '/api/v1/admin/users',
        headers: admin.headers(),
        body: { email: email('r'), displayName: 'R', role, password: PASS },
      });
      expect(res.status).toBe(400);
    }
  });

  it('when a staff user tries to create a user, then it is 403; with no session, then 401', async () => {
    const staff = await insertUser(testApp, { role: 'staff' });
    const signedIn = await signIn(testApp, 'admin', staff.email, staff.password, '192.0.2.20');
    const res = await createStaff(signedIn, {
      email: email('x'),
      displayName: 'X',
      role: 'staff',
      password: PASS,
    });
    expect(res.response.status).toBe(403);
    expect(res.error?.code).toBe('AUTH.FORBIDDEN');
    expect(
      (
        await testApp.api({ origin: ORIGINS.admin }).POST('/api/v1/admin/users', {
          body: { email: email('y'), displayName: 'Y', role: 'staff', password: PASS },
        })
      ).response.status,
    ).toBe(401);
  });
});

describe('listUsers', () => {
  it('when users are listed, then they come newest first with a cursor that pages through all of them exactly once', async () => {
    const created: string[] = [];
    for (let index = 0; index < 5; index++) {
      testApp.clock.advance(1000);
      created.push(
        (await insertUser(testApp, { role: 'client', createdAt: testApp.clock.now() })).id,
      );
    }
    await me(testApp, 'admin', admin.cookie);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(admin, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.response.status).toBe(200);
      const page = res.data!;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      pages++;
    } while (cursor && pages < 100);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 5)).toEqual([...created].reverse());
    const total = await testApp.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(seen.length).toBe(total.rows[0]!.n);
  });

  it('when filtered by role and status, then only matching users come back', async () => {
    await insertUser(testApp, { role: 'client', status: 'disabled' });
    const clients = (await list(admin, { role: 'client', limit: 100 })).data!;
    expect(clients.items.length).toBeGreaterThan(0);
    expect(clients.items.every((item) => item.role === 'client')).toBe(true);
    const disabled = (await list(admin, { status: 'disabled', limit: 100 })).data!;
    expect(disabled.items.length).toBeGreaterThan(0);
    expect(disabled.items.every((item) => item.status === 'disabled')).toBe(true);
  });

  it('when no limit is given, then at most 20 come back; over 100 or a bad cursor or role, then 400', async () => {
    for (let index = 0; index < 21; index++) await insertUser(testApp, { role: 'client' });
    const page = (await list(admin)).data!;
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
    expect((await list(admin, { limit: 101 })).response.status).toBe(400);
    // Raw: 'chef' is no Role in the contract, so the typed client cannot send it.
    const chef = await testApp.request({
      path: '/api/v1/admin/users?role=chef',
      headers: { cookie: admin.cookie, origin: ORIGINS.admin },
    });
    expect(chef.status).toBe(400);
    const bad = await list(admin, { cursor: 'bm90LWEtY3Vyc29y' });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.code).toBe('REQUEST.VALIDATION_FAILED');
  });

  it('when a staff user lists users, then it is 403; a client cookie on admin is 401', async () => {
    const staff = await insertUser(testApp, { role: 'staff' });
    const signedIn = await signIn(testApp, 'admin', staff.email, staff.password, '192.0.2.30');
    expect((await list(signedIn)).response.status).toBe(403);
    const client = await insertUser(testApp, { role: 'client' });
    const item = await signIn(testApp, 'client', client.email, client.password, '192.0.2.31');
    expect(
      (await testApp.api({ cookie: item.cookie }).GET('/api/v1/admin/users')).response.status,
    ).toBe(401);
  });
});

describe('disableUser', () => {
  it('when an admin disables a user, then it is 200 disabled, all their sessions end at once with one event, and they cannot sign in', async () => {
    await me(testApp, 'admin', admin.cookie);
    const victim = await insertUser(testApp, { role: 'client' });
    const s1 = await signIn(testApp, 'client', victim.email, victim.password, '192.0.2.40');
    const s2 = await signIn(testApp, 'client', victim.email, victim.password, '192.0.2.41');
    const res = await disable(admin, victim.id);
    expect(res.response.status).toBe(200);
    expect(res.data).toMatchObject({ id: victim.id, status: 'disabled', role: 'client' });
    expect((await me(testApp, 'client', s1.cookie)).response.status).toBe(401);
    expect((await me(testApp, 'client', s2.cookie)).response.status).toBe(401);
    const event = (await sessionsEndedEvents(testApp)).at(-1)!;
    expect(event).toMatchObject({ userId: victim.id, reason: 'user_disabled' });
    expect(event.sessionIds).toHaveLength(2);
    const again = await login(testApp, 'client', victim, '192.0.2.42');
    expect(again.response.status).toBe(401);
    expect(again.error?.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('when the user is already disabled, then it is 200 again and no new event is written', async () => {
    const victim = await insertUser(testApp, { role: 'staff' });
    expect((await disable(admin, victim.id)).response.status).toBe(200);
    const before = (await sessionsEndedEvents(testApp)).length;
    const res = await disable(admin, victim.id);
    expect(res.response.status).toBe(200);
    expect(res.data!.status).toBe('disabled');
    expect((await sessionsEndedEvents(testApp)).length).toBe(before);
  });

  it('when the id is unknown, then it is 404 IDENTITY.USER_NOT_FOUND; a malformed id is 400', async () => {
    const res = await disable(admin, '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d');
    expect(res.response.status).toBe(404);
    expect(res.error?.code).toBe('IDENTITY.USER_NOT_FOUND');
    expect((await disable(admin, 'not-a-uuid')).response.status).toBe(400);
  });

  it('when an admin disables themself, then it is 409 IDENTITY.CANNOT_DISABLE_SELF and the session lives on', async () => {
    const res = await disable(admin, adminId);
    expect(res.response.status).toBe(409);
    expect(res.error?.code).toBe('IDENTITY.CANNOT_DISABLE_SELF');
    expect((await me(testApp, 'admin', admin.cookie)).response.status).toBe(200);
  });

  it('when an admin disables a super_admin, then it is 403 and the super_admin stays active', async () => {
    const boss = await insertUser(testApp, { role: 'super_admin' });
    const res = await disable(admin, boss.id);
    expect(res.response.status).toBe(403);
    expect((await login(testApp, 'admin', boss, '192.0.2.50')).response.status).toBe(200);
  });

  it('when a staff user disables someone, then it is 403', async () => {
    const staff = await insertUser(testApp, { role: 'staff' });
    const signedIn = await signIn(testApp, 'admin', staff.email, staff.password, '192.0.2.60');
    const victim = await insertUser(testApp, { role: 'client' });
    expect((await disable(signedIn, victim.id)).response.status).toBe(403);
  });
});

describe('seedDemoUsers', () => {
  it('when seeding twice, then the demo admin and client exist once each and sign in on their surfaces', async () => {
    const first = await testApp.app.identity.seedDemoUsers();
    const second = await testApp.app.identity.seedDemoUsers();
    expect(second).toEqual(first);
    const result = await testApp.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE lower(email) IN ($1, $2)',
      [first.admin.email, first.client.email],
    );
    expect(result.rows[0]!.n).toBe(2);
    testApp.clock.advance(MIN);
    expect((await login(testApp, 'admin', first.admin, '192.0.2.70')).data!.user.role).toBe(
      'admin',
    );
    expect((await login(testApp, 'client', first.client, '192.0.2.71')).data!.user.role).toBe(
      'client',
    );
  });
});
