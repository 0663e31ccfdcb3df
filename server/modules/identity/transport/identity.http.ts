import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { IdentityModule } from '../identity.module.js';

export type IdentityOperations =
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
  | 'disableUser';

/** The identity operations, one use-case call each. */
export function identityHttp(
  identity: IdentityModule,
): Pick<Handlers<RequestContext>, IdentityOperations> {
  return {
    clientLogin: async ({ body, ctx }) => ({
      status: 200,
      body: await identity.login('client', body, ctx),
    }),
    adminLogin: async ({ body, ctx }) => ({
      status: 200,
      body: await identity.login('admin', body, ctx),
    }),
    clientLogout: async ({ ctx }) => {
      await identity.logout(ctx);
      return { status: 204 };
    },
    adminLogout: async ({ ctx }) => {
      await identity.logout(ctx);
      return { status: 204 };
    },
    clientMe: async ({ ctx }) => ({ status: 200, body: await identity.me(ctx) }),
    adminMe: async ({ ctx }) => ({ status: 200, body: await identity.me(ctx) }),
    clientChangePassword: async ({ body, ctx }) => {
      await identity.changePassword(body, ctx);
      return { status: 204 };
    },
    adminChangePassword: async ({ body, ctx }) => {
      await identity.changePassword(body, ctx);
      return { status: 204 };
    },
    createStaffUser: async ({ body, ctx }) => ({
      status: 201,
      body: await identity.createStaffUser(body, ctx),
    }),
    listUsers: async ({ query }) => ({ status: 200, body: await identity.listUsers(query) }),
    disableUser: async ({ params, ctx }) => ({
      status: 200,
      body: await identity.disableUser(params.userId, ctx),
    }),
  };
}
