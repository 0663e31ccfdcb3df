import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { typedClient } from '../support/typed-client.js';
import type { SignedIn } from '../support/app.js';
import { insertUser, sessionsEndedEvents, signIn } from './identity-fixtures.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp({ start: new Date('2026-11-27T10:00:00.000Z') });
});
afterAll(async () => {
  await testApp?.close();
});

/** The default cap on live sessions per user (docs/auth.md). */
const CAP = 10;
let ipCounter = 0;
const ip = () => `198.51.100.${++ipCounter}`;

async function meStatus(signedIn: SignedIn): Promise<number> {
  const result = await typedClient(testApp.baseUrl, signedIn.headers()).GET(
    '/api/v1/client/auth/me',
  );
  return result.response.status;
}

async function liveSessions(userId: string): Promise<number> {
  const result = await testApp.app.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
    [userId],
  );
  return result.rows[0]!.n;
}

describe('sessions per user are capped', () => {
  it(`when a user signs in ${CAP + 1} times, then the oldest session is revoked (its cookie gets 401, its sockets are told) and the other ${CAP} live on`, async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const sessions: SignedIn[] = [];
    for (let index = 0; index < CAP + 1; index++) {
      sessions.push(await signIn(testApp, 'client', user.email, user.password, ip()));
      testApp.clock.advance(1000);
    }
    expect(await meStatus(sessions[0]!)).toBe(401);
    for (const session of sessions.slice(1)) expect(await meStatus(session)).toBe(200);
    expect(await liveSessions(user.id)).toBe(CAP);
    const ended = (await sessionsEndedEvents(testApp)).filter((entry) => entry.userId === user.id);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.reason).toBe('session_limit');
    expect(ended[0]!.sessionIds).toHaveLength(1);
  });

  it('when many sign-ins of one user race, then no more than the cap stay live', async () => {
    const user = await insertUser(testApp, { role: 'client' });
    const signedIn = await Promise.all(
      Array.from({ length: CAP + 5 }, () =>
        signIn(testApp, 'client', user.email, user.password, ip()),
      ),
    );
    expect(signedIn).toHaveLength(CAP + 5);
    expect(await liveSessions(user.id)).toBe(CAP);
    const statuses = await Promise.all(signedIn.map(meStatus));
    expect(statuses.filter((statuse) => statuse === 200)).toHaveLength(CAP);
    expect(statuses.filter((statuse) => statuse === 401)).toHaveLength(5);
  });
});
