import type { ThrottleRule } from '../domain/login-throttle.policy.js';

export interface ThrottleState {
  lockedUntil: Date | null;
}

export interface LoginThrottleRepository {
  /** The latest lock among these keys still in force at `now`, or null. */
  lockedUntil(keys: readonly string[], now: Date): Promise<Date | null>;
  /** Counts one failure for the key under the rule, locking it when the rule says so. */
  recordFailure(key: string, rule: ThrottleRule, now: Date): Promise<void>;
  reset(key: string): Promise<void>;
  /** Deletes up to `limit` keys whose window (of at most `windowMs`) is over and that hold no lock at `now`; how many. */
  deleteStale(now: Date, windowMs: number, limit: number): Promise<number>;
}
