import type { SessionSurface } from '../../../shared/security/session-port.js';

/** OWASP session management: idle timeouts per surface, one absolute lifetime, a cap per user. */
export interface SessionPolicy {
  idleMs: Readonly<Record<SessionSurface, number>>;
  absoluteMs: number;
  /** Live sessions a user may hold; signing in past it revokes the oldest. */
  maxLivePerUser: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({
  idleMs: Object.freeze({ client: 30 * 60_000, admin: 15 * 60_000 }),
  absoluteMs: 12 * 60 * 60_000,
  maxLivePerUser: 10,
});

export interface SessionWindow {
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

/** A new session's expiry times. */
export function openWindow(
  policy: SessionPolicy,
  surface: SessionSurface,
  now: Date,
): SessionWindow {
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteMs);
  return { absoluteExpiresAt, idleExpiresAt: refreshIdle(policy, surface, now, absoluteExpiresAt) };
}

/** The idle expiry after activity at `now`; never past the absolute expiry. */
export function refreshIdle(
  policy: SessionPolicy,
  surface: SessionSurface,
  now: Date,
  absoluteExpiresAt: Date,
): Date {
  return new Date(Math.min(now.getTime() + policy.idleMs[surface], absoluteExpiresAt.getTime()));
}

export function isLive(window: SessionWindow, now: Date): boolean {
  return now < window.idleExpiresAt && now < window.absoluteExpiresAt;
}

/** The cookie lives as long as the session could: the server enforces the idle timeout. */
export function cookieMaxAgeSeconds(window: SessionWindow, now: Date): number {
  return Math.max(0, Math.floor((window.absoluteExpiresAt.getTime() - now.getTime()) / 1000));
}
