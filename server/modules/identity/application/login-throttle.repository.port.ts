import type { ThrottleState } from '../domain/login-throttle.policy.js';

/** A throttle key: an account on a network, or '' for "every account" / "every network". */
export interface ThrottleKey {
  /** The normalized e-mail, or '' for a network-wide key. */
  account: string;
  /** The client network (see clientNetwork), or '' for an account-wide key. */
  network: string;
}

export interface LoginThrottleRepository {
  /**
   * The states of these keys (distinct), in the order given, each row locked until the
   * transaction ends; a key without a row gets an empty one. Meant for a unit of work.
   */
  lock(keys: readonly ThrottleKey[]): Promise<ThrottleState[]>;
  /** Writes the states of keys `lock` returned, in the same transaction. */
  save(rows: ReadonlyArray<ThrottleKey & { state: ThrottleState }>): Promise<void>;
  /**
   * Deletes up to `limit` keys that hold nothing any more at `now`: no failure within
   * `forgetAfterMs`, no wait, no success within `knownNetworkMs`; how many.
   */
  deleteStale(
    now: Date,
    forgetAfterMs: number,
    knownNetworkMs: number,
    limit: number,
  ): Promise<number>;
}
