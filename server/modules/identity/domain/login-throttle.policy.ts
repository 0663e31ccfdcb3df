/**
 * Sign-in throttling (password changes share it): progressive delays per key, where a key is an
 * account on one client network, a client network across accounts, or an account across networks.
 * An attempt is counted as a failure when it is reserved, before the password is verified, so
 * concurrent guesses cannot all slip past a check; a right password then resets its account and
 * network and hands back what the other two keys counted.
 */

/** Progressive delay for one kind of key. */
export interface DelayRule {
  /** Failures a key may have before any wait. */
  freeFailures: number;
  /** The wait after the last free failure; it doubles with every further failure. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** A key's failures are forgotten this long after its last one (longer than `maxDelayMs`). */
  forgetAfterMs: number;
}

export interface ThrottlePolicy {
  /**
   * One account from one client network (an IPv4 address, an IPv6 /64). A guesser there waits
   * longer and longer; the owner on another network is never held up by it.
   */
  accountNetwork: DelayRule;
  /** One client network across all accounts: credential stuffing from one place. */
  network: DelayRule;
  /**
   * One account across all networks: distributed guessing. It only slows networks the account has
   * not signed in from within `knownNetworkMs`, and its wait is short, so it can delay the owner on
   * a new network but never lock the owner out; on a known network the owner is not held up.
   */
  account: DelayRule;
  /** How long a right password makes its network known to the account. */
  knownNetworkMs: number;
}

const MIN = 60_000;

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = Object.freeze({
  accountNetwork: Object.freeze({
    freeFailures: 4,
    baseDelayMs: 5_000,
    maxDelayMs: 15 * MIN,
    forgetAfterMs: 60 * MIN,
  }),
  network: Object.freeze({
    freeFailures: 20,
    baseDelayMs: 5_000,
    maxDelayMs: 15 * MIN,
    forgetAfterMs: 60 * MIN,
  }),
  account: Object.freeze({
    freeFailures: 50,
    baseDelayMs: 1_000,
    maxDelayMs: MIN,
    forgetAfterMs: 60 * MIN,
  }),
  knownNetworkMs: 30 * 24 * 60 * MIN,
});

/** What is kept per key. */
export interface ThrottleState {
  /** Attempts counted (reserved and not handed back) since the key was last forgotten or reset. */
  failures: number;
  lastFailureAt: Date | null;
  /** No attempt is let through before this. */
  nextAttemptAt: Date | null;
  /** The last right password (account-and-network keys only). */
  lastSuccessAt: Date | null;
}

export const EMPTY_THROTTLE_STATE: ThrottleState = Object.freeze({
  failures: 0,
  lastFailureAt: null,
  nextAttemptAt: null,
  lastSuccessAt: null,
});

/** The three keys of one attempt, as the states stored for them. */
export interface AttemptStates<T> {
  accountNetwork: T;
  network: T;
  account: T;
}

export type Reservation =
  { ok: true; states: AttemptStates<ThrottleState> } | { ok: false; retryAfterSeconds: number };

/** The wait after `failures` failures: none while free, then doubling from the base, capped. */
export function delayAfter(rule: DelayRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  // 2^20 already exceeds any cap in milliseconds that makes sense; it keeps the number finite.
  const doublings = Math.min(failures - rule.freeFailures, 20);
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** doublings);
}

/** The state with its failures forgotten when the last one is old enough. */
function current(rule: DelayRule, throttleState: ThrottleState, now: Date): ThrottleState {
  if (
    throttleState.lastFailureAt &&
    now.getTime() - throttleState.lastFailureAt.getTime() >= rule.forgetAfterMs
  )
    return { ...EMPTY_THROTTLE_STATE, lastSuccessAt: throttleState.lastSuccessAt };
  return throttleState;
}

/** Milliseconds until the key lets an attempt through (0: now). */
function waitMs(throttleState: ThrottleState, now: Date): number {
  return throttleState.nextAttemptAt
    ? Math.max(0, throttleState.nextAttemptAt.getTime() - now.getTime())
    : 0;
}

/** One more failure counted; `delays` false counts it without setting a wait (a known network). */
function counted(
  rule: DelayRule,
  throttleState: ThrottleState,
  now: Date,
  delays = true,
): ThrottleState {
  const failures = throttleState.failures + 1;
  const delay = delayAfter(rule, failures);
  return {
    failures,
    lastFailureAt: now,
    nextAttemptAt: delays
      ? delay > 0
        ? new Date(now.getTime() + delay)
        : null
      : throttleState.nextAttemptAt,
    lastSuccessAt: throttleState.lastSuccessAt,
  };
}

export function isKnownNetwork(
  policy: ThrottlePolicy,
  throttleState: ThrottleState,
  now: Date,
): boolean {
  return (
    throttleState.lastSuccessAt !== null &&
    now.getTime() - throttleState.lastSuccessAt.getTime() < policy.knownNetworkMs
  );
}

/**
 * Lets an attempt through, counting it against every key now, or refuses it with the longest wait
 * among its keys (counting nothing). The account-wide key holds back only unknown networks.
 */
export function reserveAttempt(
  policy: ThrottlePolicy,
  stored: AttemptStates<ThrottleState>,
  now: Date,
): Reservation {
  const accountNetwork = current(policy.accountNetwork, stored.accountNetwork, now);
  const network = current(policy.network, stored.network, now);
  const account = current(policy.account, stored.account, now);
  const known = isKnownNetwork(policy, accountNetwork, now);
  const wait = Math.max(
    waitMs(accountNetwork, now),
    waitMs(network, now),
    known ? 0 : waitMs(account, now),
  );
  if (wait > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
  return {
    ok: true,
    states: {
      accountNetwork: counted(policy.accountNetwork, accountNetwork, now),
      network: counted(policy.network, network, now),
      account: counted(policy.account, account, now, !known),
    },
  };
}

/** Hands back an attempt counted in advance; a wait it started is lifted if the key is free again. */
function handedBack(rule: DelayRule, throttleState: ThrottleState): ThrottleState {
  const failures = Math.max(0, throttleState.failures - 1);
  return {
    ...throttleState,
    failures,
    nextAttemptAt: failures < rule.freeFailures ? null : throttleState.nextAttemptAt,
  };
}

/**
 * After a right password: the account on this network starts afresh and becomes known; the
 * network-wide and account-wide keys get back the attempt they counted, and nothing more, so
 * signing in to one's own account cannot wipe out what a guesser elsewhere has run up.
 */
export function attemptSucceeded(
  policy: ThrottlePolicy,
  stored: AttemptStates<ThrottleState>,
  now: Date,
): AttemptStates<ThrottleState> {
  return {
    accountNetwork: { ...EMPTY_THROTTLE_STATE, lastSuccessAt: now },
    network: handedBack(policy.network, current(policy.network, stored.network, now)),
    account: handedBack(policy.account, current(policy.account, stored.account, now)),
  };
}
