import { describe, expect, it } from 'vitest';
import {
  attemptSucceeded,
  DEFAULT_THROTTLE_POLICY as policy,
  delayAfter,
  EMPTY_THROTTLE_STATE as EMPTY,
  reserveAttempt,
  type AttemptStates,
  type ThrottleState,
} from './login-throttle.policy.js';

const T0 = new Date('2026-11-27T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const fresh = (): AttemptStates<ThrottleState> => ({
  accountNetwork: EMPTY,
  network: EMPTY,
  account: EMPTY,
});

/** Runs `n` reserved attempts that all fail, at `now`. */
function failTimes(count: number, states = fresh(), now = T0): AttemptStates<ThrottleState> {
  let attemptStates = states;
  for (let index = 0; index < count; index++) {
    const result = reserveAttempt(policy, attemptStates, now);
    if (!result.ok) throw new Error(`attempt ${index + 1} was refused`);
    attemptStates = result.states;
  }
  return attemptStates;
}

describe('sign-in throttle policy', () => {
  it.each([
    [3, 0],
    [4, 5_000],
    [5, 10_000],
    [11, 640_000],
    [12, 900_000],
    [1_000, 900_000],
  ])('when an account-and-network key has %i failures, then the wait is %i ms', (failures, ms) => {
    expect(delayAfter(policy.accountNetwork, failures)).toBe(ms);
  });

  it('when a key is waiting, then the attempt is refused with the wait in whole seconds and nothing is counted', () => {
    const attemptStates = failTimes(4);
    const refused = reserveAttempt(policy, attemptStates, at(1_200));
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 4 });
    const later = reserveAttempt(policy, attemptStates, at(5_000));
    expect(later.ok && later.states.accountNetwork.failures).toBe(5);
  });

  it('when the last failure is an hour old, then the key starts afresh', () => {
    const attemptStates = failTimes(4);
    const result = reserveAttempt(policy, attemptStates, at(60 * 60_000));
    expect(result.ok && result.states.accountNetwork).toMatchObject({
      failures: 1,
      nextAttemptAt: null,
    });
  });

  it('when the account-wide key is waiting, then an unknown network is refused but a known one passes and sets no wait', () => {
    const busy: ThrottleState = {
      failures: 60,
      lastFailureAt: T0,
      nextAttemptAt: at(30_000),
      lastSuccessAt: null,
    };
    const unknown = reserveAttempt(policy, { ...fresh(), account: busy }, T0);
    expect(unknown).toEqual({ ok: false, retryAfterSeconds: 30 });
    const known = reserveAttempt(
      policy,
      { ...fresh(), account: busy, accountNetwork: { ...EMPTY, lastSuccessAt: at(-86_400_000) } },
      T0,
    );
    expect(known.ok && known.states.account).toMatchObject({
      failures: 61,
      nextAttemptAt: at(30_000),
    });
  });

  it('when a network was known over 30 days ago, then it is unknown again', () => {
    const busy: ThrottleState = { ...EMPTY, failures: 60, lastFailureAt: T0, nextAttemptAt: at(1) };
    const old = { ...EMPTY, lastSuccessAt: at(-31 * 86_400_000) };
    expect(reserveAttempt(policy, { ...fresh(), account: busy, accountNetwork: old }, T0).ok).toBe(
      false,
    );
  });

  it('when the right password follows, then its account and network start afresh and known, and the other keys get their attempt back', () => {
    const attemptStates = failTimes(4);
    const after = attemptSucceeded(policy, attemptStates, T0);
    expect(after.accountNetwork).toEqual({ ...EMPTY, lastSuccessAt: T0 });
    expect(after.network).toMatchObject({ failures: 3, nextAttemptAt: null });
    expect(after.account).toMatchObject({ failures: 3, nextAttemptAt: null });
  });

  it('when the right password follows on a network past its free failures, then the network keeps its wait', () => {
    const waiting: ThrottleState = {
      failures: 21,
      lastFailureAt: T0,
      nextAttemptAt: at(10_000),
      lastSuccessAt: null,
    };
    const text = { ...fresh(), network: waiting };
    const after = attemptSucceeded(policy, text, T0);
    expect(after.network.failures).toBe(20);
    expect(after.network.nextAttemptAt).toEqual(text.network.nextAttemptAt);
  });
});
