/**
 * The authorization matrix, generated from the contract: every secured operation of
 * `operationList` is called without credentials, with the other surface's session, with a role
 * that lacks its scopes, and (when it has a path parameter) on a resource that does not exist.
 * A new operation in the contract is covered here without writing a test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationList, type OperationSpec } from '../../generated/v1/operations.js';
import { ROLE_PERMISSIONS } from '../../server/shared/security/session-port.js';
import { startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import {
  callOperation,
  expectProblem,
  freshIp,
  isUnsafe,
  ORIGINS,
  requiredScopes,
  seedCast,
  sessionSurface,
  signInStaff,
  type Cast,
} from './support.js';

const secured = operationList.filter((op) => op.security.length > 0);
const withPathParams = secured.filter((op) => op.pathParams.length > 0);
const staffPermissions = ROLE_PERMISSIONS['staff']!;
const staffLacks = (op: OperationSpec) =>
  !requiredScopes(op).some((scopes) => scopes.every((scope) => staffPermissions.includes(scope)));
const adminOps = secured.filter((op) => sessionSurface(op) === 'admin');
const staffForbidden = adminOps.filter(staffLacks);
const staffAllowed = adminOps.filter((op) => !staffLacks(op));

let testApp: TestApp;
let cast: Cast;

function other(surface: 'client' | 'admin'): 'client' | 'admin' {
  return surface === 'client' ? 'admin' : 'client';
}

/** The headers a browser on the operation's own origin would send with this session. */
function asSession(op: OperationSpec, session: SignedIn): Record<string, string> {
  const surface = op.surface === 'client' || op.surface === 'admin' ? op.surface : 'site';
  return { cookie: session.cookie, origin: ORIGINS[surface], 'x-csrf-token': session.csrfToken };
}

beforeAll(async () => {
  testApp = await startTestApp();
  cast = await seedCast(testApp);
});
afterAll(async () => {
  await testApp?.close();
});

describe('the contract has operations to check', () => {
  it('when the operation table is read, then it lists secured operations on both session surfaces and some with path parameters', () => {
    expect(secured.some((op) => sessionSurface(op) === 'client')).toBe(true);
    expect(secured.some((op) => sessionSurface(op) === 'admin')).toBe(true);
    expect(withPathParams.length).toBeGreaterThan(0);
    expect(staffForbidden.length).toBeGreaterThan(0);
    for (const op of secured) expect(sessionSurface(op), op.operationId).not.toBeNull();
  });
});

describe.each(secured.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
  const surface = sessionSurface(op)!;

  it('when called without credentials, then 401 AUTH.UNAUTHENTICATED', async () => {
    // Raw: the path comes from the operation table (see callOperation).
    const res = await callOperation(testApp, op, {
      headers: { origin: ORIGINS[surface] },
      ip: freshIp(),
    });
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
  });

  it("when called with the other surface's session cookie, then 401", async () => {
    const foreign = other(surface) === 'client' ? cast.client : cast.admin;
    // Raw: the path comes from the operation table (see callOperation).
    const res = await callOperation(testApp, op, {
      headers: asSession(op, foreign),
      ip: freshIp(),
    });
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
  });

  it("when the other surface's session token is sent under this surface's cookie name, then 401", async () => {
    const foreign = other(surface) === 'client' ? cast.client : cast.admin;
    const token = foreign.cookie.slice(foreign.cookie.indexOf('=') + 1);
    const ownName = (surface === 'client' ? cast.client : cast.admin).cookie.split('=')[0]!;
    // Raw: the path comes from the operation table (see callOperation).
    const res = await callOperation(testApp, op, {
      headers: { ...asSession(op, foreign), cookie: `${ownName}=${token}` },
      ip: freshIp(),
    });
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
  });

  it('when called with a forged session token, then 401 and the cookie is cleared', async () => {
    const ownName = (surface === 'client' ? cast.client : cast.admin).cookie.split('=')[0]!;
    // Raw: the path comes from the operation table (see callOperation).
    const res = await callOperation(testApp, op, {
      headers: {
        cookie: `${ownName}=${'A'.repeat(43)}`,
        origin: ORIGINS[surface],
        'x-csrf-token': 'x'.repeat(43),
      },
      ip: freshIp(),
    });
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    expect(String(res.headers['set-cookie'] ?? '')).toMatch(
      new RegExp(`^${ownName}=;.*Max-Age=0`, 'i'),
    );
  });
});

describe.each(staffForbidden.map((op) => [op.operationId, op] as const))(
  '%s as staff',
  (_id, op) => {
    it(`when a staff user (${staffPermissions.join(', ')}) calls it, then 403 AUTH.FORBIDDEN`, async () => {
      const staff = await signInStaff(testApp, cast);
      // Raw: the path comes from the operation table (see callOperation).
      const res = await callOperation(testApp, op, {
        headers: asSession(op, staff),
        ip: freshIp(),
      });
      expectProblem(res, 403, 'AUTH.FORBIDDEN');
    });
  },
);

describe.each(staffAllowed.map((op) => [op.operationId, op] as const))('%s as staff', (_id, op) => {
  it('when a staff user with its scopes calls it, then the guard lets it through (no 401/403 from authorization)', async () => {
    const staff = await signInStaff(testApp, cast);
    // Raw: the path comes from the operation table (see callOperation).
    const res = await callOperation(testApp, op, { headers: asSession(op, staff), ip: freshIp() });
    expect(res.status, res.text).not.toBe(401);
    if (res.status === 403) expect(res.json<{ code: string }>().code).not.toMatch(/^AUTH\./);
  });
});

describe.each(withPathParams.map((op) => [op.operationId, op] as const))(
  '%s on a resource that is not there',
  (_id, op) => {
    it('when called by an admin with a random well-formed UUID, then 404 with a stable *.NOT_FOUND code', async () => {
      const session = await (sessionSurface(op) === 'admin'
        ? Promise.resolve(cast.admin)
        : Promise.resolve(cast.client));
      // Raw: the path comes from the operation table (see callOperation).
      const res = await callOperation(testApp, op, {
        headers: asSession(op, session),
        ip: freshIp(),
      });
      const body = expectProblem(res, 404);
      expect(body.code).toMatch(/^[A-Z]+\.[A-Z_]*NOT_FOUND$/);
      expect(body.code).not.toBe('REQUEST.NOT_FOUND');
    });

    if (sessionSurface(op) === 'admin' && !staffLacks(op)) {
      it('when called by a staff user with a random well-formed UUID, then 404 too (no difference between missing and not yours)', async () => {
        const staff = await signInStaff(testApp, cast);
        // Raw: the path comes from the operation table (see callOperation).
        const res = await callOperation(testApp, op, {
          headers: asSession(op, staff),
          ip: freshIp(),
        });
        const body = expectProblem(res, 404);
        expect(body.code).toMatch(/NOT_FOUND$/);
      });
    }

    it('when the path parameter is not a UUID, then 400 with a pointer into /params', async () => {
      const session = sessionSurface(op) === 'admin' ? cast.admin : cast.client;
      const params = Object.fromEntries(
        op.pathParams.map((pathParam) => [pathParam, 'not-a-uuid']),
      );
      // Raw: the path comes from the operation table (see callOperation).
      const res = await callOperation(testApp, op, {
        headers: asSession(op, session),
        params,
        ip: freshIp(),
      });
      const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
      expect(body.errors!.map((error: { pointer: string }) => error.pointer).join(' ')).toMatch(
        /^\/params\//,
      );
    });
  },
);

describe('unsafe operations are in the matrix', () => {
  it('when the secured operations are listed, then unsafe ones are among them (CSRF is tested separately)', () => {
    expect(secured.filter(isUnsafe).length).toBeGreaterThan(0);
  });
});
