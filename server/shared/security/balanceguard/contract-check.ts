import type { OperationSpec } from '../../../../generated/v1/operations.js';

/** An answer of an operation that its contract does not allow. */
export interface ContractViolation {
  readonly operationId: string;
  readonly status: number;
  readonly requestId: string;
  /** What is wrong, for the log line and the test that fails on it. */
  readonly breach: string;
}

/**
 * What an answer breaks in its operation's contract, or null when it keeps to it: a status the
 * operation does not declare, another media type than the declared one, a body where none is
 * declared, or a body (a problem included) that the declared schema refuses.
 * @example
 * const breach = contractBreach(spec, 413, 'application/problem+json', problem.body);
 * if (breach) log.error({ operationId: spec.operationId, status: 413, breach }, 'response breaks the contract');
 */
export function contractBreach(
  spec: OperationSpec,
  status: number,
  contentType: string | null,
  body: unknown,
): string | null {
  const declared =
    spec.responses[String(status)] ?? spec.responses[`${String(status).charAt(0)}XX`];
  if (!declared) return `status ${status} is not declared by ${spec.operationId}`;
  if (declared.contentType === null)
    return body === undefined
      ? null
      : `a ${status} of ${spec.operationId} declares no body, but one was sent`;
  if (contentType !== declared.contentType)
    return `a ${status} of ${spec.operationId} is declared as ${declared.contentType}, but was sent as ${contentType ?? 'no body'}`;
  if (declared.validate && !declared.validate(body)) {
    return `the ${status} body of ${spec.operationId} breaks its schema: ${JSON.stringify(declared.validate.errors?.slice(0, 5))}`;
  }
  return null;
}

// Tests only: the violations BalanceGuard saw, until the test harness takes them
// (tests/support/contract-violations.ts fails the test during which they happened). A test run
// keeps the first ones if a runaway loop makes more than this.
const MAX_KEPT = 1000;
const kept: ContractViolation[] = [];

/** Keeps a violation for the test harness (BalanceGuard calls this in test mode only). */
export function keepContractViolation(violation: ContractViolation): void {
  if (kept.length < MAX_KEPT) kept.push(violation);
}

/**
 * The violations kept since the last call, and forgets them.
 * @example
 * afterEach(() => { const seen = takeContractViolations(); if (seen.length) throw new Error(...); });
 */
export function takeContractViolations(): ContractViolation[] {
  return kept.splice(0);
}
