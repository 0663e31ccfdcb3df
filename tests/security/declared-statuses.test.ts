/**
 * Every status BalanceGuard can answer for an operation is one its contract declares. Each
 * operation is attacked the ways the guard refuses before a handler runs (a body it does not take
 * or over its limit, the wrong media type, an unknown query parameter, a malformed path id, no
 * session, a foreign Origin, a missing permission), and each answer's status must be the expected
 * refusal and be listed in the operation's responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationList, type OperationSpec } from '../../generated/v1/operations.js';
import { startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import type { RawResponse } from '../support/http.js';
import {
  concretePath,
  freshIp,
  isUnsafe,
  ORIGINS,
  seedCast,
  sessionSurface,
  signInStaff,
} from './support.js';

let testApp: TestApp;
let sessions: { client: SignedIn; admin: SignedIn; staff: SignedIn };
beforeAll(async () => {
  testApp = await startTestApp();
  const cast = await seedCast(testApp);
  sessions = { client: cast.client, admin: cast.admin, staff: await signInStaff(testApp, cast) };
});
afterAll(async () => {
  await testApp?.close();
});

const BROWSER_SURFACES = new Set(['site', 'client', 'admin']);
const STAFF_PERMISSIONS = new Set([
  'enquiries:read',
  'enquiries:write',
  'chat:use',
  'chat:moderate',
]);

/** Headers of a well-behaved browser on the operation's surface, signed in when it needs a session. */
function goodHeaders(op: OperationSpec, as?: SignedIn): Record<string, string> {
  const surface = sessionSurface(op);
  if (surface) return (as ?? sessions[surface]).headers();
  return BROWSER_SURFACES.has(op.surface) ? { origin: ORIGINS[op.surface as 'site'] } : {};
}

interface Attack {
  name: string;
  applies(op: OperationSpec): boolean;
  expected: number;
  send(op: OperationSpec): Promise<RawResponse>;
}

// Raw, every attack: each runs over the whole operation table (the path is data, not a literal
// the typed client could check) and sends what the contract forbids.
const attacks: Attack[] = [
  {
    name: 'a body the operation does not take',
    applies: (op) => op.request.body === null,
    expected: 413,
    send: (op) =>
      // Raw: the path comes from the operation table; a body where the operation takes none.
      testApp.request({
        method: op.method,
        path: concretePath(op),
        headers: goodHeaders(op),
        body: {},
        ip: freshIp(),
      }),
  },
  {
    name: 'a body one byte over the limit',
    applies: (op) => op.request.body !== null,
    expected: 413,
    send: (op) =>
      // Raw: the path comes from the operation table; a body over the limit.
      testApp.request({
        method: op.method,
        path: concretePath(op),
        headers: { ...goodHeaders(op), 'content-type': 'application/json' },
        body: ' '.repeat(op.guard.bodyLimit + 1),
        ip: freshIp(),
      }),
  },
  {
    name: 'a body that is not JSON',
    applies: (op) => op.request.body !== null,
    expected: 415,
    send: (op) =>
      // Raw: the path comes from the operation table; a body that is not JSON.
      testApp.request({
        method: op.method,
        path: concretePath(op),
        headers: { ...goodHeaders(op), 'content-type': 'text/plain' },
        body: 'x',
        ip: freshIp(),
      }),
  },
  {
    name: 'an unknown query parameter',
    applies: () => true,
    expected: 400,
    send: (op) =>
      // Raw: the path comes from the operation table; a query parameter the contract does not have.
      testApp.request({
        method: op.method,
        path: `${concretePath(op)}?surprise=1`,
        headers: goodHeaders(op),
        ip: freshIp(),
      }),
  },
  {
    name: 'a path id that is not a UUID',
    applies: (op) => op.pathParams.length > 0,
    expected: 400,
    send: (op) =>
      // Raw: the path comes from the operation table; not-a-uuid where a UUID is declared.
      testApp.request({
        method: op.method,
        path: concretePath(
          op,
          Object.fromEntries(op.pathParams.map((pathParam) => [pathParam, 'not-a-uuid'])),
        ),
        headers: goodHeaders(op),
        ip: freshIp(),
      }),
  },
  {
    name: 'no session',
    applies: (op) => sessionSurface(op) !== null,
    expected: 401,
    send: (op) =>
      // Raw: the path comes from the operation table; no session.
      testApp.request({
        method: op.method,
        path: concretePath(op),
        headers: BROWSER_SURFACES.has(op.surface) ? { origin: ORIGINS[op.surface as 'site'] } : {},
        ip: freshIp(),
      }),
  },
  {
    name: 'a foreign Origin on an unsafe request',
    applies: (op) => isUnsafe(op) && BROWSER_SURFACES.has(op.surface),
    expected: 403,
    send: (op) =>
      // Raw: the path comes from the operation table; a foreign Origin.
      testApp.request({
        method: op.method,
        path: concretePath(op),
        headers: { ...goodHeaders(op), origin: ORIGINS.evil },
        ip: freshIp(),
      }),
  },
  {
    name: 'a staff session without the permission',
    applies: (op) =>
      sessionSurface(op) === 'admin' &&
      op.security.some((result) =>
        Object.values(result)
          .flat()
          .some((text) => !STAFF_PERMISSIONS.has(text)),
      ),
    expected: 403,
    send: (op) =>
      // Raw: the path comes from the operation table; a session without the scope.
      testApp.request({
        method: op.method,
        path: concretePath(op),
        headers: goodHeaders(op, sessions.staff),
        ip: freshIp(),
      }),
  },
];

describe('every status the guard answers is declared by the operation', () => {
  for (const attack of attacks) {
    it(`when each operation it applies to gets ${attack.name}, then it answers ${attack.expected} and declares ${attack.expected}`, async () => {
      const targets = operationList.filter((op) => attack.applies(op));
      expect(targets.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const op of targets) {
        const res = await attack.send(op);
        if (res.status !== attack.expected)
          wrong.push(`${op.operationId} answered ${res.status}: ${res.text.slice(0, 200)}`);
        else if (!op.responses[String(res.status)])
          wrong.push(`${op.operationId} answered ${res.status}, which it does not declare`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
