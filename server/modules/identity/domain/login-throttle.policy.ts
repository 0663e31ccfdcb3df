/** How many failed sign-ins a key may have in a window before it is locked, and for how long. */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export interface ThrottlePolicy {
  account: ThrottleRule;
  ip: ThrottleRule;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = Object.freeze({
  account: Object.freeze({ maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }),
  ip: Object.freeze({ maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }),
});

export function accountKey(normalizedEmail: string): string {
  return `account:${normalizedEmail}`;
}

export function ipKey(ip: string): string {
  return `ip:${ip}`;
}

/** Whole seconds until `until`, at least 1 so a client never retries at once. */
export function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
