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

/**
 * Permissions each role grants: generated from `x-roles` on the contract's session schemes
 * (contracts/v1/openapi.yaml), the scopes its operations name.
 */
export { ROLE_PERMISSIONS } from '../../../generated/v1/roles.js';
