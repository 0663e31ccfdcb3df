import { ROLE_PERMISSIONS, type SessionSurface } from '../../../shared/security/session-port.js';

export type Role = 'client' | 'staff' | 'admin' | 'super_admin';
export type StaffRole = 'staff' | 'admin';
export type UserStatus = 'active' | 'disabled';

export const ROLES: readonly Role[] = ['client', 'staff', 'admin', 'super_admin'];

/** The one surface a role signs in on: clients on `client`, everyone else on `admin`. */
export function surfaceOf(role: Role): SessionSurface {
  return role === 'client' ? 'client' : 'admin';
}

export function canSignInOn(role: Role, surface: SessionSurface): boolean {
  return surfaceOf(role) === surface;
}

export function permissionsOf(role: Role): readonly string[] {
  return ROLE_PERMISSIONS[role] ?? [];
}

/** Only a super_admin may act on a super_admin (an admin cannot disable the account above it). */
export function mayManage(actorRole: string, target: Role): boolean {
  return target !== 'super_admin' || actorRole === 'super_admin';
}
