import { randomUUID } from 'node:crypto';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import { hashToken, randomToken } from '../../../shared/crypto/tokens.js';
import { InvalidCredentials, LoginThrottled } from '../domain/identity.errors.js';
import { canSignInOn } from '../domain/role.js';
import { cookieMaxAgeSeconds, openWindow, type SessionWindow } from '../domain/session-policy.js';
import { normalizeEmail } from '../domain/user.entity.js';
import { toAuthSessionView, type AuthSessionView } from './auth-session.view.js';
import type { Caller, IdentityDeps } from './identity.deps.js';
import { sessionsEnded } from './session-events.js';
import {
  attemptKeys,
  passwordAttemptSucceeded,
  reservePasswordAttempt,
} from './sign-in-throttle.js';

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
 * Signs in on one surface. The attempt is reserved in the sign-in throttle before anything else
 * (see sign-in-throttle.ts), so a refused one costs no argon2 verification. Every failure (unknown
 * e-mail, wrong password, disabled account, the other surface's account) costs one verification,
 * ends in the same error and stays counted, whether or not the account exists.
 */
export async function login(
  deps: IdentityDeps,
  cmd: LoginCommand,
  caller: Caller,
): Promise<LoginResult> {
  const now = caller.now;
  const email = normalizeEmail(cmd.email);
  const keys = attemptKeys(email, caller.ip);
  try {
    await reservePasswordAttempt(deps, keys, now);
  } catch (err) {
    if (err instanceof LoginThrottled)
      deps.log.info(
        { requestId: caller.requestId, surface: cmd.surface, event: 'login_throttled' },
        'sign-in throttled',
      );
    throw err;
  }

  const user = await deps.users.findByEmail(email);
  const passwordOk = await deps.hasher.verify(user?.passwordHash ?? null, cmd.password);
  if (!user || !passwordOk || user.status !== 'active' || !canSignInOn(user.role, cmd.surface)) {
    deps.log.info(
      { requestId: caller.requestId, surface: cmd.surface, event: 'login_failed' },
      'sign-in failed',
    );
    throw new InvalidCredentials();
  }
  await passwordAttemptSucceeded(deps, keys, now);

  if (deps.hasher.needsRehash(user.passwordHash)) {
    await deps.users.updatePasswordHash(user.id, await deps.hasher.hash(cmd.password), now);
    deps.log.info(
      { requestId: caller.requestId, userId: user.id, event: 'password_rehashed' },
      'password hash upgraded to the current policy',
    );
  }

  const opened = await openSession(deps, user.id, cmd.surface, caller);
  // Disabled between the check and the insert: the same answer as any other refusal.
  if (!opened) throw new InvalidCredentials();
  deps.log.info(
    { requestId: caller.requestId, userId: user.id, surface: cmd.surface, event: 'login' },
    'signed in',
  );
  return {
    view: toAuthSessionView(user, opened.csrfToken, opened.window),
    token: opened.token,
    cookieMaxAgeSeconds: cookieMaxAgeSeconds(opened.window, now),
  };
}

/**
 * A new session for an active user, and, in the same transaction, the user's oldest live sessions
 * past the policy's cap revoked (their sockets told through the outbox). Null when the user is no
 * longer active.
 */
async function openSession(
  deps: IdentityDeps,
  userId: string,
  surface: SessionSurface,
  caller: Caller,
): Promise<{ token: string; csrfToken: string; window: SessionWindow } | null> {
  const now = caller.now;
  const token = randomToken();
  const csrfToken = randomToken();
  const window = openWindow(deps.sessionPolicy, surface, now);
  const id = randomUUID();
  return deps.transactions.run(async (uow) => {
    const inserted = await uow.sessions.insert({
      id,
      tokenHash: hashToken(token),
      userId,
      surface,
      csrfToken,
      createdAt: now,
      ...window,
      ip: caller.ip,
      userAgent: caller.userAgent,
    });
    if (!inserted) return null;
    const ended = await uow.sessions.revokeOldest(
      userId,
      deps.sessionPolicy.maxLivePerUser,
      id,
      'session_limit',
      now,
    );
    if (ended.length > 0)
      await uow.appendEvent(sessionsEnded(userId, ended, 'session_limit', caller));
    return { token, csrfToken, window };
  });
}
