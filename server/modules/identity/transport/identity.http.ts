import type { Handlers } from '../../../../generated/v1/handlers.js';
import { AppError } from '../../../shared/errors/app-error.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { SessionSurface } from '../../../shared/security/session-port.js';
import { changePassword } from '../application/change-password.use-case.js';
import { createStaffUser } from '../application/create-staff-user.use-case.js';
import { disableUser } from '../application/disable-user.use-case.js';
import { getMe } from '../application/get-me.use-case.js';
import type { Caller, IdentityDeps } from '../application/identity.deps.js';
import { listUsers } from '../application/list-users.use-case.js';
import { login } from '../application/login.use-case.js';
import { logout } from '../application/logout.use-case.js';

export type IdentityOperations = Pick<
  Handlers<RequestContext>,
  | 'clientLogin'
  | 'clientLogout'
  | 'clientMe'
  | 'clientChangePassword'
  | 'adminLogin'
  | 'adminLogout'
  | 'adminMe'
  | 'adminChangePassword'
  | 'createStaffUser'
  | 'listUsers'
  | 'disableUser'
>;

function callerOf(ctx: RequestContext): Caller {
  return {
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    now: ctx.now,
    actor: ctx.actor
      ? { userId: ctx.actor.userId, role: ctx.actor.role, sessionId: ctx.actor.sessionId }
      : null,
  };
}

function sessionOf(ctx: RequestContext) {
  // BalanceGuard resolves the session before any operation that declares one; reaching here
  // without it is a wiring mistake, answered as "sign in".
  if (!ctx.session) throw new AppError('AUTH.UNAUTHENTICATED');
  return ctx.session;
}

/** The identity operations, one use-case call each; cookies are set and cleared here. */
export function identityHttp(deps: IdentityDeps): IdentityOperations {
  /** Signs in on `surface` and sets that surface's cookie. */
  const signIn =
    (surface: SessionSurface) =>
    async ({ body, ctx }: { body: { email: string; password: string }; ctx: RequestContext }) => {
      const result = await login(
        deps,
        { surface, email: body.email, password: body.password },
        callerOf(ctx),
      );
      ctx.setSessionCookie(result.token, result.cookieMaxAgeSeconds);
      return { status: 200 as const, body: result.view };
    };
  /** Revokes the current session and clears the cookie. */
  const signOut = async ({ ctx }: { ctx: RequestContext }) => {
    await logout(deps, sessionOf(ctx), callerOf(ctx));
    ctx.clearSessionCookie();
    return { status: 204 as const };
  };
  const me = async ({ ctx }: { ctx: RequestContext }) => ({
    status: 200 as const,
    body: await getMe(deps, sessionOf(ctx)),
  });
  /** Ends every other session of the user. */
  const newPassword = async ({
    body,
    ctx,
  }: {
    body: { currentPassword: string; newPassword: string };
    ctx: RequestContext;
  }) => {
    const session = sessionOf(ctx);
    const cmd = { userId: session.userId, sessionId: session.sessionId, ...body };
    await changePassword(deps, cmd, callerOf(ctx));
    return { status: 204 as const };
  };
  return {
    clientLogin: signIn('client'),
    adminLogin: signIn('admin'),
    clientLogout: signOut,
    adminLogout: signOut,
    clientMe: me,
    adminMe: me,
    clientChangePassword: newPassword,
    adminChangePassword: newPassword,
    createStaffUser: async ({ body, ctx }) => ({
      status: 201,
      body: await createStaffUser(deps, body, callerOf(ctx)),
    }),
    listUsers: async ({ query }) => ({ status: 200, body: await listUsers(deps, query) }),
    disableUser: async ({ params, ctx }) => ({
      status: 200,
      body: await disableUser(deps, params.userId, callerOf(ctx)),
    }),
  };
}
