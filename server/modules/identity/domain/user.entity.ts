import type { Role, UserStatus } from './role.js';

/** A user as the identity module holds it. The hash never leaves the module. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  passwordHash: string;
  createdAt: Date;
}

/** The contract's `User`: exactly these fields, timestamps as ISO strings. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  createdAt: string;
}

export function toUserView(user: Omit<User, 'passwordHash'>): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    status: user.status,
    createdAt: user.createdAt.toISOString(),
  };
}

/** E-mail addresses compare case-insensitively; surrounding whitespace never counts. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
