import { isClientError } from '../../errors/app-error.js';
import { problemJson, toProblem, type ProblemResponse } from '../../http/problem.js';
import type { GuardRequest } from './guard-request.js';
import { send } from './reply.js';
import { breaksContract } from './response-check.js';

/** Answers with a problem+json. */
export function answerProblem(ctx: GuardRequest, problem: ProblemResponse): void {
  // A refused body is not read: close the connection rather than drain an attacker's upload.
  if (problem.status === 413) problem.headers['connection'] = 'close';
  send(ctx, problem.status, problemJson(problem.body), 'application/problem+json', problem.headers);
}

/**
 * Problem: the one place an error becomes a response. Client errors (and refusals) answer with
 * their code; anything else is logged and answers a bare 500 with the request id.
 */
export function answerError(ctx: GuardRequest, err: unknown): void {
  if (!isClientError(err)) {
    ctx.guard.log.error(
      { err, requestId: ctx.requestId, operationId: ctx.plan?.spec.operationId },
      'unhandled error',
    );
  }
  const problem = toProblem(err, ctx.requestId);
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return;
  }
  if (breaksContract(ctx, problem.status, 'application/problem+json', problem.body))
    return answerProblem(ctx, toProblem(null, ctx.requestId));
  answerProblem(ctx, problem);
}
