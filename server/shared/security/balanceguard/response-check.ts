import { contractBreach, keepContractViolation } from './contract-check.js';
import type { GuardRequest } from './guard-request.js';

/**
 * Response check: in development and tests (`validateResponses`), every answer of an operation,
 * problems included, must keep to its contract. Development logs a breach loudly and answers as it
 * is; tests answer a 500 instead (this returns true) and keep the breach for the harness, so the
 * test that caused it fails.
 */
export function breaksContract(
  ctx: GuardRequest,
  status: number,
  contentType: string | null,
  body: unknown,
): boolean {
  const { plan, guard } = ctx;
  if (plan === null || !guard.config.validateResponses) return false;
  const breach = contractBreach(plan.spec, status, contentType, body);
  if (breach === null) return false;
  const { operationId } = plan.spec;
  guard.log.error(
    { requestId: ctx.requestId, operationId, status, breach },
    `CONTRACT VIOLATION: ${breach}; declare it in contracts/ or fix the server`,
  );
  if (guard.config.env !== 'test') return false;
  keepContractViolation({ operationId, status, requestId: ctx.requestId, breach });
  return true;
}
