import type { SessionInfo } from '../http/request-context.js';

export type SessionSurface = 'client' | 'admin';

/**
 * How BalanceGuard (and WSGuard) turn a surface's session cookie into a session. Identity
 * implements it; the guard never touches the sessions table itself.
 */
export interface SessionPort {
  /** The live session for this token on this surface (refreshing its idle timeout), or null. */
  resolve(surface: SessionSurface, token: string, now: Date): Promise<SessionInfo | null>;
}

/** Permissions each role grants on the admin surface; the contract's security scopes name them. */
export const ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  client: [],
  staff: ['enquiries:read', 'enquiries:write', 'chat:use', 'chat:moderate'],
  admin: [
    'enquiries:read',
    'enquiries:write',
    'users:read',
    'users:write',
    'chat:use',
    'chat:moderate',
    'chat:manage',
    'events:read',
    'events:replay',
    'billing:read',
    'billing:write',
    'catalogue:write',
  ],
  super_admin: [
    'enquiries:read',
    'enquiries:write',
    'users:read',
    'users:write',
    'chat:use',
    'chat:moderate',
    'chat:manage',
    'events:read',
    'events:replay',
    'billing:read',
    'billing:write',
    'catalogue:write',
  ],
};
