import { toUserView, type User, type UserView } from '../domain/user.entity.js';

/** The contract's `AuthSession`. */
export interface AuthSessionView {
  user: UserView;
  csrfToken: string;
  session: { idleExpiresAt: string; absoluteExpiresAt: string };
}

export function toAuthSessionView(
  user: Omit<User, 'passwordHash'>,
  csrfToken: string,
  window: { idleExpiresAt: Date; absoluteExpiresAt: Date },
): AuthSessionView {
  return {
    user: toUserView(user),
    csrfToken,
    session: {
      idleExpiresAt: window.idleExpiresAt.toISOString(),
      absoluteExpiresAt: window.absoluteExpiresAt.toISOString(),
    },
  };
}
