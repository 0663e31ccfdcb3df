import type { Logger } from '../logging/logger.js';
import type { SurfaceName } from '../config/config.js';

/** A signed-in user's session as BalanceGuard resolved it from the surface's cookie. */
export interface SessionInfo {
  sessionId: string;
  userId: string;
  email: string;
  displayName: string;
  role: string;
  permissions: readonly string[];
  csrfToken: string;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

/** Who is calling: a signed-in user, or nobody. */
export interface Actor {
  kind: 'user';
  userId: string;
  role: string;
  permissions: readonly string[];
  sessionId: string;
}

/**
 * What every handler receives besides its validated input. Handlers pass it to one use-case; they
 * never read headers or cookies themselves.
 */
export interface RequestContext {
  readonly requestId: string;
  readonly operationId: string;
  readonly surface: SurfaceName;
  /** The client address (X-Forwarded-For only from a trusted proxy). */
  readonly ip: string;
  readonly userAgent: string | undefined;
  readonly actor: Actor | null;
  readonly session: SessionInfo | null;
  /** The request's time, from the injectable clock. */
  readonly now: Date;
  readonly log: Logger;
  /** Sets the surface's session cookie (login). */
  setSessionCookie(token: string, maxAgeSeconds: number): void;
  /** Expires the surface's session cookie (logout). */
  clearSessionCookie(): void;
}
