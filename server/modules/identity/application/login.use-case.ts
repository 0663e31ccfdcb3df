import { randomUUID } from 'node:crypto';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import { hashToken, randomToken } from '../../../shared/crypto/tokens.js';
import { InvalidCredentials, LoginThrottled } from '../domain/identity.errors.js';
import { accountKey, ipKey, secondsUntil } from '../domain/login-throttle.policy.js';
import { canSignInOn } from '../domain/role.js';
import { cookieMaxAgeSeconds, openWindow } from '../domain/session-policy.js';
import { normalizeEmail } from '../domain/user.entity.js';
import { toAuthSessionView, type AuthSessionView } from './auth-session.view.js';
import type { Caller, IdentityDeps } from './identity.deps.js';

export interface LoginCommand {
  surface: SessionSurface;
  email: string;
  password: string;
}

export interface LoginResult {
  view: AuthSessionView;
  /** The raw session token for the cookie; only its hash is stored. */
  token: string;
  cookieMaxAgeSeconds: number;
}

/**
 * Signs in on one surface. Every failure (unknown e-mail, wrong password, disabled account, the
 * other surface's account) costs one argon2 verification and ends in the same error, and counts
 * against both the account and the address, whether or not the account exists.
 */
export async function login(
  deps: IdentityDeps,
  cmd: LoginCommand,
  caller: Caller,
): Promise<LoginResult> {
  const now = caller.now;
  const email = normalizeEmail(cmd.email);
  const keys = { account: accountKey(email), ip: ipKey(caller.ip) };

  const locked = await deps.uow.read(({ throttle }) =>
    throttle.lockedUntil([keys.account, keys.ip], now),
  );
  if (locked) throw new LoginThrottled(secondsUntil(locked, now));

  const user = await deps.uow.read(({ users }) => users.findByEmail(email));
  const passwordOk = await deps.hasher.verify(user?.passwordHash ?? null, cmd.password);
  if (!user || !passwordOk || user.status !== 'active' || !canSignInOn(user.role, cmd.surface)) {
    await deps.uow.run(({ throttle }) =>
      throttle.recordFailure(keys.account, deps.throttlePolicy.account, now),
    );
    await deps.uow.run(({ throttle }) =>
      throttle.recordFailure(keys.ip, deps.throttlePolicy.ip, now),
    );
    deps.log.info(
      { requestId: caller.requestId, surface: cmd.surface, event: 'login_failed' },
      'sign-in failed',
    );
    throw new InvalidCredentials();
  }
  await deps.uow.run(({ throttle }) => throttle.reset(keys.account));

  if (deps.hasher.needsRehash(user.passwordHash)) {
    const passwordHash = await deps.hasher.hash(cmd.password);
    await deps.uow.run(({ users }) => users.updatePasswordHash(user.id, passwordHash, now));
    deps.log.info(
      { requestId: caller.requestId, userId: user.id, event: 'password_rehashed' },
      'password hash upgraded to the current policy',
    );
  }

  const token = randomToken();
  const csrfToken = randomToken();
  const window = openWindow(deps.sessionPolicy, cmd.surface, now);
  const inserted = await deps.uow.run(({ sessions }) =>
    sessions.insert({
      id: randomUUID(),
      tokenHash: hashToken(token),
      userId: user.id,
      surface: cmd.surface,
      csrfToken,
      createdAt: now,
      ...window,
      ip: caller.ip,
      userAgent: caller.userAgent,
    }),
  );
  // Disabled between the check and the insert: the same answer as any other refusal.
  if (!inserted) throw new InvalidCredentials();
  deps.log.info(
    { requestId: caller.requestId, userId: user.id, surface: cmd.surface, event: 'login' },
    'signed in',
  );
  return {
    view: toAuthSessionView(user, csrfToken, window),
    token,
    cookieMaxAgeSeconds: cookieMaxAgeSeconds(window, now),
  };
}
