import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { clientAt, type ClientAt } from '../support/local-fetch.js';
import { typedClient } from '../support/typed-client.js';
import { insertUser, ORIGINS, signIn } from './identity-fixtures.js';

// Every argon2 verification the server runs, counted by a pass-through spy on the library (the
// server's own code is not replaced): a refused attempt must cost no verification at all.
const argon2 = vi.hoisted(() => ({ verifications: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      argon2.verifications += 1;
      return real.verify(...args);
    },
  };
});

let testApp: TestApp;
const opened: ClientAt[] = [];
beforeAll(async () => {
  testApp = await startTestApp({ start: new Date('2026-11-27T10:00:00.000Z') });
});
afterAll(async () => {
  for (const clientAt of opened) clientAt.close();
  await testApp?.close();
});

const SECOND = 1000;
const MIN = 60 * SECOND;
/** The default policy, as documented in docs/auth.md. */
const FREE_PER_NETWORK = 4;
const FIRST_WAIT_SECONDS = 5;
const MAX_WAIT_SECONDS = 15 * 60;
const ACCOUNT_CEILING = 50;

/** The typed client from a real loopback address (127.0.0.2, …): the server sees it as the peer. */
function from(localAddress: string, headers: Record<string, string> = {}) {
  const item = clientAt(testApp.baseUrl, localAddress, { origin: ORIGINS.client, ...headers });
  opened.push(item);
  return item.api;
}

/** The typed client as a client behind the test app's trusted proxy, at `ip` (any IPv4 or IPv6). */
function via(ip: string, headers: Record<string, string> = {}) {
  return typedClient(testApp.baseUrl, {
    origin: ORIGINS.client,
    'x-forwarded-for': ip,
    ...headers,
  });
}

async function signInAt(api: ReturnType<typeof via>, email: string, password: string) {
  const result = await api.POST('/api/v1/client/auth/login', { body: { email, password } });
  return {
    status: result.response.status,
    code: (result.error as { code?: string } | undefined)?.code,
    retryAfter: Number(result.response.headers.get('retry-after')),
  };
}

let networkCounter = 0;
/** A fresh IPv4 network (one address) for one test. */
const freshIp = () => `203.0.113.${++networkCounter}`;

describe('sign-in throttling under concurrency', () => {
  it('when 20 wrong passwords arrive at once from 4 addresses, then at most 4 per address are verified, the rest get 429 with Retry-After, and the owner signs in from a fifth address', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const attackers = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'].map((first) =>
      from(first),
    );
    argon2.verifications = 0;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        signInAt(attackers[index % 4]!, user.email, `wrong guess number ${index}`),
      ),
    );
    const verified = argon2.verifications;
    expect(verified).toBeLessThanOrEqual(4 * FREE_PER_NETWORK);
    expect(verified).toBeGreaterThan(0);
    // Every verified guess is a 401; every other one was refused before argon2, with a wait.
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(verified);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(20 - verified);
    for (const result of refused) {
      expect(result.code).toBe('AUTH.LOGIN_THROTTLED');
      expect(result.retryAfter).toBeGreaterThanOrEqual(1);
    }

    // An attacking address waits even with the right password; it is not verified either.
    argon2.verifications = 0;
    expect(await signInAt(attackers[0]!, user.email, user.password)).toMatchObject({
      status: 429,
      code: 'AUTH.LOGIN_THROTTLED',
    });
    expect(argon2.verifications).toBe(0);
    // The owner, elsewhere, is not kept out.
    expect((await signInAt(from('127.0.0.6'), user.email, user.password)).status).toBe(200);
  });

  it('when the owner mistypes 4 times, then that network waits 5 s (even with the right password) while another network signs in at once', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const home = via(freshIp());
    for (let index = 0; index < FREE_PER_NETWORK; index++)
      expect((await signInAt(home, user.email, `typo ${index}`)).status).toBe(401);
    expect(await signInAt(home, user.email, user.password)).toMatchObject({
      status: 429,
      code: 'AUTH.LOGIN_THROTTLED',
      retryAfter: FIRST_WAIT_SECONDS,
    });
    expect((await signInAt(via(freshIp()), user.email, user.password)).status).toBe(200);
    testApp.clock.advance(FIRST_WAIT_SECONDS * SECOND);
    expect((await signInAt(home, user.email, user.password)).status).toBe(200);
    // A success resets that network: four more free attempts.
    for (let index = 0; index < FREE_PER_NETWORK; index++)
      expect((await signInAt(home, user.email, `typo again ${index}`)).status).toBe(401);
    expect((await signInAt(home, user.email, user.password)).status).toBe(429);
    testApp.clock.advance(FIRST_WAIT_SECONDS * SECOND);
  });

  it('when a network keeps guessing, then each further failure doubles its wait, up to 15 min, and an hour without failures forgets them', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const attacker = via(freshIp());
    for (let index = 0; index < FREE_PER_NETWORK; index++)
      await signInAt(attacker, user.email, `guess ${index}`);
    let expected = FIRST_WAIT_SECONDS;
    for (let step = 0; step < 10; step++) {
      const refused = await signInAt(attacker, user.email, `early guess ${step}`);
      expect(refused).toMatchObject({ status: 429, retryAfter: expected });
      testApp.clock.advance(refused.retryAfter * SECOND);
      expect((await signInAt(attacker, user.email, `guess on time ${step}`)).status).toBe(401);
      expected = Math.min(MAX_WAIT_SECONDS, expected * 2);
    }
    expect(expected).toBe(MAX_WAIT_SECONDS);
    testApp.clock.advance(60 * MIN);
    for (let index = 0; index < FREE_PER_NETWORK; index++)
      expect((await signInAt(attacker, user.email, `fresh guess ${index}`)).status).toBe(401);
    expect((await signInAt(attacker, user.email, user.password)).status).toBe(429);
    testApp.clock.advance(MAX_WAIT_SECONDS * SECOND);
  });

  it('when an unknown e-mail is guessed, then it is throttled exactly like an existing account', async () => {
    const existing = await insertUser(testApp, { role: 'client' });
    const statuses = async (email: string) => {
      const api = via(freshIp());
      const out: number[] = [];
      for (let index = 0; index < FREE_PER_NETWORK + 1; index++)
        out.push((await signInAt(api, email, `wrong guess ${index}`)).status);
      return out;
    };
    const expected = [...Array<number>(FREE_PER_NETWORK).fill(401), 429];
    expect(await statuses(`ghost.${Date.now()}@example.com`)).toEqual(expected);
    expect(await statuses(existing.email)).toEqual(expected);
  });
});

describe('password changes share the sign-in throttle', () => {
  it('when wrong current passwords are sent to the password change, then they count for that network: the next change and the next sign-in from it wait, unverified, while another network signs in', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const ip = freshIp();
    const signedIn = await signIn(testApp, 'client', user.email, user.password, ip);
    const session = via(ip, signedIn.headers());
    const change = (currentPassword: string) =>
      session.POST('/api/v1/client/auth/password', {
        body: { currentPassword, newPassword: 'a brand new and long passphrase' },
      });
    for (let index = 0; index < FREE_PER_NETWORK; index++) {
      const result = await change(`stolen-session guess ${index}`);
      expect(result.response.status).toBe(422);
      expect(result.error).toMatchObject({ code: 'IDENTITY.CURRENT_PASSWORD_WRONG' });
    }
    // The fifth change in this minute: still within the operation's own per-session request limit
    // (5 a minute), so the answer is the throttle's.
    argon2.verifications = 0;
    const paused = await change(user.password);
    expect(paused.response.status).toBe(429);
    expect(paused.error).toMatchObject({ code: 'AUTH.LOGIN_THROTTLED' });
    expect(Number(paused.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await signInAt(via(ip), user.email, user.password)).toMatchObject({
      status: 429,
      code: 'AUTH.LOGIN_THROTTLED',
    });
    expect(argon2.verifications).toBe(0);
    expect((await signInAt(via(freshIp()), user.email, user.password)).status).toBe(200);

    // Past the wait (and the per-session request window), the right current password is taken.
    testApp.clock.advance(2 * MIN);
    expect((await change(user.password)).response.status).toBe(204);
  });
});

describe('distributed guessing', () => {
  it(`when ${ACCOUNT_CEILING} guesses come from as many networks, then a network the account never signed in from waits, but the owner's own network signs in at once`, async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const home = freshIp();
    expect((await signInAt(via(home), user.email, user.password)).status).toBe(200);
    const networks = Array.from({ length: ACCOUNT_CEILING }, () => freshIp());
    const statuses: number[] = [];
    for (let index = 0; index < networks.length; index += 10)
      statuses.push(
        ...(
          await Promise.all(
            networks
              .slice(index, index + 10)
              .map((network, inner) => signInAt(via(network), user.email, `bot ${index + inner}`)),
          )
        ).map((first) => first.status),
      );
    expect(statuses).toEqual(Array<number>(ACCOUNT_CEILING).fill(401));

    const stranger = await signInAt(via(freshIp()), user.email, user.password);
    expect(stranger).toMatchObject({ status: 429, code: 'AUTH.LOGIN_THROTTLED' });
    expect(stranger.retryAfter).toBeLessThanOrEqual(60);
    expect((await signInAt(via(home), user.email, user.password)).status).toBe(200);
    testApp.clock.advance(stranger.retryAfter * SECOND);
    expect((await signInAt(via(freshIp()), user.email, user.password)).status).toBe(200);
    testApp.clock.advance(60 * MIN);
  });
});

describe('client networks', () => {
  it('when IPv6 addresses of one /64 guess, then they share one throttle; another /64 is not held up', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    for (let index = 1; index <= FREE_PER_NETWORK; index++)
      expect(
        (await signInAt(via(`2001:db8:a:b::${index}`), user.email, `guess ${index}`)).status,
      ).toBe(401);
    expect(
      (await signInAt(via('2001:db8:a:b:ffff:ffff:ffff:fffe'), user.email, user.password)).status,
    ).toBe(429);
    expect((await signInAt(via('2001:db8:a:c::1'), user.email, user.password)).status).toBe(200);
    testApp.clock.advance(FIRST_WAIT_SECONDS * SECOND);
  });

  it('when an IPv4-mapped IPv6 address guesses, then it counts as its IPv4 address', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    for (let index = 0; index < FREE_PER_NETWORK; index++)
      expect((await signInAt(via('::ffff:192.0.2.44'), user.email, `guess ${index}`)).status).toBe(
        401,
      );
    expect((await signInAt(via('192.0.2.44'), user.email, user.password)).status).toBe(429);
    testApp.clock.advance(FIRST_WAIT_SECONDS * SECOND);
  });
});
