import { clientNetwork } from '../../../shared/security/client-network.js';
import { LoginThrottled } from '../domain/identity.errors.js';
import {
  attemptSucceeded,
  reserveAttempt,
  type AttemptStates,
  type ThrottleState,
} from '../domain/login-throttle.policy.js';
import type { IdentityDeps } from './identity.deps.js';
import type { IdentityUnitOfWork, ThrottleKey } from './identity.ports.js';

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
  uow: IdentityUnitOfWork,
  keys: AttemptKeys,
): Promise<AttemptStates<ThrottleState>> {
  const [network, account, accountNetwork] = await uow.throttle.lock(ORDER.map((k) => keys[k]));
  return { network: network!, account: account!, accountNetwork: accountNetwork! };
}

function saveStates(
  uow: IdentityUnitOfWork,
  keys: AttemptKeys,
  states: AttemptStates<ThrottleState>,
): Promise<void> {
  return uow.throttle.save(ORDER.map((k) => ({ ...keys[k], state: states[k] })));
}

/**
 * Reserves one password attempt before the password is verified: in one transaction, under the
 * row locks of its keys, either counts it as a failure against all of them or refuses it
 * (`LoginThrottled`, 429 with Retry-After) without counting. A refused attempt must not verify.
 */
export async function reservePasswordAttempt(
  deps: Pick<IdentityDeps, 'transactions' | 'throttlePolicy'>,
  keys: AttemptKeys,
  now: Date,
): Promise<void> {
  const verdict = await deps.transactions.run(async (uow) => {
    const reservation = reserveAttempt(deps.throttlePolicy, await lockStates(uow, keys), now);
    if (reservation.ok) await saveStates(uow, keys, reservation.states);
    return reservation;
  });
  if (!verdict.ok) throw new LoginThrottled(verdict.retryAfterSeconds);
}

/** The reserved attempt had the right password: see `attemptSucceeded`. */
export async function passwordAttemptSucceeded(
  deps: Pick<IdentityDeps, 'transactions' | 'throttlePolicy'>,
  keys: AttemptKeys,
  now: Date,
): Promise<void> {
  await deps.transactions.run(async (uow) =>
    saveStates(uow, keys, attemptSucceeded(deps.throttlePolicy, await lockStates(uow, keys), now)),
  );
}
