import type { Work } from '../../../shared/unit-of-work/unit-of-work.js';
import { clientNetwork } from '../../../shared/security/client-network.js';
import { LoginThrottled } from '../domain/identity.errors.js';
import {
  attemptSucceeded,
  reserveAttempt,
  type AttemptStates,
  type ThrottleState,
} from '../domain/login-throttle.policy.js';
import type { IdentityDeps, IdentityRepos } from './identity.deps.js';
import type { ThrottleKey } from './login-throttle.repository.port.js';

/** The three throttle keys of one password attempt. */
export type AttemptKeys = AttemptStates<ThrottleKey>;

/** The keys of an attempt on this account (normalized e-mail) from this address. */
export function attemptKeys(normalizedEmail: string, ip: string): AttemptKeys {
  const network = clientNetwork(ip);
  return {
    accountNetwork: { account: normalizedEmail, network },
    network: { account: '', network },
    account: { account: normalizedEmail, network: '' },
  };
}

// Rows are always locked in this order, so two attempts that share keys never wait on each other
// crosswise.
const ORDER = ['network', 'account', 'accountNetwork'] as const;

async function lockStates(
  work: Work<IdentityRepos>,
  keys: AttemptKeys,
): Promise<AttemptStates<ThrottleState>> {
  const [network, account, accountNetwork] = await work.throttle.lock(
    ORDER.map((key) => keys[key]),
  );
  return { network: network!, account: account!, accountNetwork: accountNetwork! };
}

function saveStates(
  work: Work<IdentityRepos>,
  keys: AttemptKeys,
  states: AttemptStates<ThrottleState>,
): Promise<void> {
  return work.throttle.save(ORDER.map((key) => ({ ...keys[key], state: states[key] })));
}

/**
 * Reserves one password attempt before the password is verified: in one transaction, under the
 * row locks of its keys, either counts it as a failure against all of them or refuses it
 * (`LoginThrottled`, 429 with Retry-After) without counting. A refused attempt must not verify.
 */
export async function reservePasswordAttempt(
  deps: Pick<IdentityDeps, 'uow' | 'throttlePolicy'>,
  keys: AttemptKeys,
  now: Date,
): Promise<void> {
  const verdict = await deps.uow.run(async (work) => {
    const reservation = reserveAttempt(deps.throttlePolicy, await lockStates(work, keys), now);
    if (reservation.ok) await saveStates(work, keys, reservation.states);
    return reservation;
  });
  if (!verdict.ok) throw new LoginThrottled(verdict.retryAfterSeconds);
}

/** The reserved attempt had the right password: see `attemptSucceeded`. */
export async function passwordAttemptSucceeded(
  deps: Pick<IdentityDeps, 'uow' | 'throttlePolicy'>,
  keys: AttemptKeys,
  now: Date,
): Promise<void> {
  await deps.uow.run(async (work) =>
    saveStates(
      work,
      keys,
      attemptSucceeded(deps.throttlePolicy, await lockStates(work, keys), now),
    ),
  );
}
