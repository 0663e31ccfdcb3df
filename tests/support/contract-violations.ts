/**
 * Vitest setup file (vitest.config.ts `setupFiles`): a test during which BalanceGuard answered
 * something its contract does not allow fails, even when the test itself never looked at that
 * answer. In test mode the guard answers such a request with a 500 and keeps the breach
 * (server/shared/security/balanceguard/contract-check.ts); this takes them after every test.
 */
import { afterEach } from 'vitest';
import {
  takeContractViolations,
  type ContractViolation,
} from '../../server/shared/security/balanceguard/contract-check.js';

/** Throws, naming each one, when BalanceGuard kept contract violations since the last call. */
export function assertNoContractViolations(): void {
  const seen: ContractViolation[] = takeContractViolations();
  if (seen.length === 0) return;
  const lines = seen.map(
    (contractViolation) =>
      `  ${contractViolation.operationId} ${contractViolation.status} (${contractViolation.requestId}): ${contractViolation.breach}`,
  );
  throw new Error(
    `BalanceGuard answered ${seen.length} response(s) that break the contract; declare them in contracts/ or fix the server:\n${lines.join('\n')}`,
  );
}

afterEach(() => {
  assertNoContractViolations();
});
