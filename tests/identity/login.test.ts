import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { sessionCookie } from '../support/typed-client.js';
import { email, insertUser, login, me, PASSWORD, storedHash } from './identity-fixtures.js';

/**
 * Every argon2 verification the server runs, recorded on its way to the real library (which still
 * does the work): what a sign-in costs is counted, not timed.
 */
const argon2 = vi.hoisted(() => ({ verified: [] as { hash: string; password: string }[] }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  const record = (hash: string | Uint8Array, password: string | Uint8Array) =>
    argon2.verified.push({ hash: String(hash), password: String(password) });
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      record(args[0], args[1]);
      return real.verify(...args);
    },
    verifySync: (...args: Parameters<typeof real.verifySync>) => {
      record(args[0], args[1]);
      return real.verifySync(...args);
    },
  };
});

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp({ start: new Date('2026-11-27T10:00:00.000Z') });
});
afterAll(async () => {
  await testApp?.close();
});

const MIN = 60_000;
let ipCounter = 0;
/** A fresh client address per test, so the per-IP throttle of one test never touches another. */
const freshIp = () => `203.0.113.${++ipCounter}`;

describe('login', () => {
  it('when a client signs in on the client surface, then it gets 200, the AuthSession and an HttpOnly Lax cookie', async () => {
    const userItem = await insertUser(testApp, { role: 'client' });
    const res = await login(
      testApp,
      'client',
      { email: userItem.email, password: userItem.password },
      freshIp(),
    );
    expect(res.response.status).toBe(200);
    const body = res.data!;
    expect(body.user).toEqual({
      id: userItem.id,
      email: userItem.email,
      displayName: 'Test User',
      role: 'client',
      status: 'active',
      createdAt: testApp.clock.now().toISOString(),
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.session).toEqual({
      idleExpiresAt: '2026-11-27T10:30:00.000Z',
      absoluteExpiresAt: '2026-11-27T22:00:00.000Z',
    });
    const setCookie = String(res.response.headers.getSetCookie());
    expect(setCookie).toMatch(/^bk_client_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain(`Max-Age=${12 * 3600}`);
    expect(setCookie).not.toContain('Secure');
    expect(setCookie).not.toContain('Domain');
  });

  it('when staff signs in on the admin surface with an upper-case e-mail, then it gets the admin cookie and a 15 min idle expiry', async () => {
    const user = await insertUser(testApp, { role: 'staff' });
    const res = await login(
      testApp,
      'admin',
      { email: user.email.toUpperCase(), password: user.password },
      freshIp(),
    );
    expect(res.response.status).toBe(200);
    expect(String(res.response.headers.getSetCookie())).toMatch(/^bk_admin_session=/);
    expect(res.data!.session.idleExpiresAt).toBe(
      new Date(testApp.clock.nowMs() + 15 * MIN).toISOString(),
    );
  });

  it('when the same user signs in twice, then each login gets a new session id and both sessions stay separate', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const left = await login(testApp, 'client', user, freshIp());
    const right = await login(testApp, 'client', user, freshIp());
    const ca = sessionCookie(left.response);
    const cb = sessionCookie(right.response);
    expect(ca).not.toBe(cb);
    expect(left.data!.csrfToken).not.toBe(right.data!.csrfToken);
    expect((await me(testApp, 'client', ca)).data!.csrfToken).toBe(left.data!.csrfToken);
    expect((await me(testApp, 'client', cb)).data!.csrfToken).toBe(right.data!.csrfToken);
  });

  it('when a session is stored, then only the SHA-256 of the token is in the database', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const res = await login(testApp, 'client', user, freshIp());
    const token = sessionCookie(res.response).split('=')[1]!;
    const result = await testApp.app.db.query<{ token_hash: Buffer }>(
      'SELECT token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.id = $1',
      [user.id],
    );
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]!.token_hash.length).toBe(32);
    const dump = (await testApp.app.db.query('SELECT * FROM sessions')).rows
      .map((row) => JSON.stringify(row))
      .join('\n');
    expect(dump).not.toContain(token);
  });

  it('when a client signs in on the admin surface, or staff on the client surface, then it gets the same 401 as a wrong password', async () => {
    const client = await insertUser(testApp, { role: 'client' });
    const staff = await insertUser(testApp, { role: 'staff' });
    const wrongSurfaceA = await login(testApp, 'admin', client, freshIp());
    const wrongSurfaceB = await login(testApp, 'client', staff, freshIp());
    const wrongPassword = await login(
      testApp,
      'client',
      { email: client.email, password: 'not the password at all' },
      freshIp(),
    );
    for (const result of [wrongSurfaceA, wrongSurfaceB, wrongPassword]) {
      expect(result.response.status).toBe(401);
      expect(result.response.headers.getSetCookie()).toEqual([]);
    }
    const strip = (problem: object | undefined) => {
      const {
        instance: _instance,
        requestId: _requestId,
        ...rest
      } = problem as Record<string, unknown>;
      return rest;
    };
    expect(strip(wrongSurfaceA.error)).toEqual(strip(wrongPassword.error));
    expect(strip(wrongSurfaceB.error)).toEqual(strip(wrongPassword.error));
    expect(strip(wrongPassword.error).code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('when the e-mail is unknown, the password wrong or the account disabled, then status and body are identical and each runs one argon2id verification at the policy cost', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const disabled = await insertUser(testApp, { role: 'client', status: 'disabled' });
    const attempt = async (body: { email: string; password: string }) => {
      const from = argon2.verified.length;
      const res = await login(testApp, 'client', body, freshIp());
      return { res, verified: argon2.verified.slice(from) };
    };
    const unknown = await attempt({ email: email('nobody'), password: 'whatever it is' });
    const wrong = await attempt({ email: user.email, password: 'whatever it is' });
    const off = await attempt({ email: disabled.email, password: disabled.password });
    const strip = (problem: object | undefined) => {
      const {
        instance: _instance,
        requestId: _requestId,
        ...rest
      } = problem as Record<string, unknown>;
      return rest;
    };
    expect(unknown.res.response.status).toBe(401);
    expect(strip(unknown.res.error)).toEqual(strip(wrong.res.error));
    expect(strip(off.res.error)).toEqual(strip(wrong.res.error));

    // A known account: one verification of the given password against its own hash.
    expect(wrong.verified).toEqual([
      { hash: await storedHash(testApp, user.id), password: 'whatever it is' },
    ]);
    expect(off.verified).toEqual([
      { hash: await storedHash(testApp, disabled.id), password: disabled.password },
    ]);
    // An unknown e-mail costs the same: one verification of the given password, against a dummy
    // hash of the same argon2id cost (m, t, p) that is nobody's. Skipping it, or a cheaper dummy,
    // would let response times tell which e-mails have accounts.
    expect(unknown.verified).toHaveLength(1);
    const dummy = unknown.verified[0]!;
    expect(dummy.password).toBe('whatever it is');
    const cost = (hash: string) => /^\$argon2id\$v=19\$(m=\d+,t=\d+,p=\d+)\$/.exec(hash)?.[1];
    expect(cost(dummy.hash)).toBe('m=19456,t=2,p=1');
    expect(cost(dummy.hash)).toBe(cost(wrong.verified[0]!.hash));
    const owners = await testApp.app.db.query('SELECT 1 FROM users WHERE password_hash = $1', [
      dummy.hash,
    ]);
    expect(owners.rowCount).toBe(0);
  });

  it('when a user is created, then the stored hash is argon2id with m=19456, t=2, p=1', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    await login(testApp, 'client', user, freshIp());
    expect(await storedHash(testApp, user.id)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('when a user signs in with a hash weaker than the policy, then it is rehashed with the policy and the password still works', async () => {
    const user = await insertUser(testApp, {
      role: 'client',
      params: { memoryCost: 4096, timeCost: 1, parallelism: 1 },
    });
    expect(await storedHash(testApp, user.id)).toMatch(/\$m=4096,t=1,p=1\$/);
    expect((await login(testApp, 'client', user, freshIp())).response.status).toBe(200);
    expect(await storedHash(testApp, user.id)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await login(testApp, 'client', user, freshIp())).response.status).toBe(200);
  });

  it('when a wrong password meets a weak hash, then nothing is rehashed', async () => {
    const user = await insertUser(testApp, {
      role: 'client',
      params: { memoryCost: 4096, timeCost: 1, parallelism: 1 },
    });
    const before = await storedHash(testApp, user.id);
    expect(
      (await login(testApp, 'client', { email: user.email, password: 'not it at all' }, freshIp()))
        .response.status,
    ).toBe(401);
    expect(await storedHash(testApp, user.id)).toBe(before);
  });
});

describe('login throttling', () => {
  // The throttle's own tests are in sign-in-throttle.test.ts; these keep to everyday sign-ins.
  it('when failures from one network are more than an hour apart, then they are forgotten and never add up to a wait', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const ip = freshIp();
    for (let index = 0; index < 3; index++)
      await login(testApp, 'client', { email: user.email, password: 'wrong guess' }, ip);
    testApp.clock.advance(61 * MIN);
    for (let index = 0; index < 3; index++)
      expect(
        (await login(testApp, 'client', { email: user.email, password: 'wrong guess' }, ip))
          .response.status,
      ).toBe(401);
    expect((await login(testApp, 'client', user, ip)).response.status).toBe(200);
  });

  it('when a success follows 3 failures from one network, then that network starts afresh', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const ip = freshIp();
    for (let index = 0; index < 3; index++)
      await login(testApp, 'client', { email: user.email, password: 'wrong guess' }, ip);
    expect((await login(testApp, 'client', user, ip)).response.status).toBe(200);
    for (let index = 0; index < 3; index++)
      expect(
        (await login(testApp, 'client', { email: user.email, password: 'wrong guess' }, ip))
          .response.status,
      ).toBe(401);
    expect((await login(testApp, 'client', user, ip)).response.status).toBe(200);
  });

  it('when one address fails 20 times across accounts, then that address waits for every account but others do not', async () => {
    const ip = freshIp();
    const victims = await Promise.all(
      [1, 2, 3, 4, 5].map(() => insertUser(testApp, { role: 'client' })),
    );
    let count = 0;
    for (const victim of victims) {
      for (let index = 0; index < 4; index++) {
        expect(
          (await login(testApp, 'client', { email: victim.email, password: 'wrong guess' }, ip))
            .response.status,
        ).toBe(401);
        // Stay under BalanceGuard's own 20/min per-IP request limit: this test is about the login throttle.
        if (++count === 10) testApp.clock.advance(2 * MIN);
      }
    }
    const fresh = await insertUser(testApp, { role: 'client' });
    const blocked = await login(testApp, 'client', fresh, ip);
    expect(blocked.response.status).toBe(429);
    expect(blocked.error?.code).toBe('AUTH.LOGIN_THROTTLED');
    expect(Number(blocked.response.headers.get('retry-after'))).toBe(5);
    expect((await login(testApp, 'client', fresh, freshIp())).response.status).toBe(200);
    testApp.clock.advance(61 * MIN);
  });

  it('when the logs of these logins are read, then no password, cookie value or CSRF token appears', async () => {
    const user = await insertUser(testApp, {
      role: 'client',
      password: 'unique secret phrase for logs',
    });
    const res = await login(testApp, 'client', user, freshIp());
    const token = sessionCookie(res.response).split('=')[1]!;
    const text = testApp.logs.text;
    expect(text).not.toContain('unique secret phrase for logs');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(token);
    expect(text).not.toContain(res.data!.csrfToken);
  });
});
