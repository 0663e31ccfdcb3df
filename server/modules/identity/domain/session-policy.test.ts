import { describe, expect, it } from 'vitest';
import {
  cookieMaxAgeSeconds,
  DEFAULT_SESSION_POLICY,
  isLive,
  openWindow,
  refreshIdle,
} from './session-policy.js';

const now = new Date('2026-11-27T10:00:00.000Z');
const min = 60_000;

describe('session policy', () => {
  it('when a client session opens, then it idles out after 30 min and ends after 12 h', () => {
    const sessionWindow = openWindow(DEFAULT_SESSION_POLICY, 'client', now);
    expect(sessionWindow.idleExpiresAt.toISOString()).toBe('2026-11-27T10:30:00.000Z');
    expect(sessionWindow.absoluteExpiresAt.toISOString()).toBe('2026-11-27T22:00:00.000Z');
  });
  it('when an admin session opens, then it idles out after 15 min', () => {
    expect(openWindow(DEFAULT_SESSION_POLICY, 'admin', now).idleExpiresAt.toISOString()).toBe(
      '2026-11-27T10:15:00.000Z',
    );
  });
  it('when activity comes near the absolute end, then the idle expiry never passes it', () => {
    const sessionWindow = openWindow(DEFAULT_SESSION_POLICY, 'client', now);
    const late = new Date(sessionWindow.absoluteExpiresAt.getTime() - 5 * min);
    expect(
      refreshIdle(DEFAULT_SESSION_POLICY, 'client', late, sessionWindow.absoluteExpiresAt),
    ).toEqual(sessionWindow.absoluteExpiresAt);
  });
  it('when either expiry has passed, then the session is not live', () => {
    const sessionWindow = openWindow(DEFAULT_SESSION_POLICY, 'admin', now);
    expect(isLive(sessionWindow, new Date(now.getTime() + 14 * min))).toBe(true);
    expect(isLive(sessionWindow, sessionWindow.idleExpiresAt)).toBe(false);
    expect(
      isLive(
        {
          idleExpiresAt: new Date(now.getTime() + 13 * 3600_000),
          absoluteExpiresAt: sessionWindow.absoluteExpiresAt,
        },
        sessionWindow.absoluteExpiresAt,
      ),
    ).toBe(false);
  });
  it('when the cookie is set, then it lives until the absolute expiry', () => {
    expect(cookieMaxAgeSeconds(openWindow(DEFAULT_SESSION_POLICY, 'client', now), now)).toBe(
      12 * 3600,
    );
  });
});
