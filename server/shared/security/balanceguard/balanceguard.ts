import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { OperationSpec } from '../../../../generated/v1/operations.js';
import type { Config } from '../../config/config.js';
import { securityHeaders } from '../../http/headers.js';
import type { IdempotencyStore } from '../../http/idempotency.js';
import type { RequestContext } from '../../http/request-context.js';
import { createRouter } from '../../http/router.js';
import type { AccessLog } from '../../logging/access-log.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../time/clock.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { SessionPort } from '../session-port.js';
import { requestIds, type GuardSetup } from './guard-request.js';
import { planOperation, type HandlerResult, type OperationPlan } from './operation-plan.js';
import { onRequest } from './pipeline.js';

export interface BalanceGuardDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  operations: readonly OperationSpec[];
  handlers: Handlers<RequestContext>;
  sessions: SessionPort;
  idempotency: IdempotencyStore;
  rateLimiter: RateLimiter;
  /** One line per answered request; none when absent. */
  accessLog?: AccessLog | null;
}

/**
 * BalanceGuard: every HTTP request passes the steps of pipeline.ts, in that order, configured from
 * the generated operation table. Handlers only ever see typed, validated input and an actor. This
 * plans each served operation once, at start.
 * @example
 * const server = http.createServer(createBalanceGuard({ config, log, clock, operations, handlers, sessions, idempotency, rateLimiter }));
 */
export function createBalanceGuard(
  deps: BalanceGuardDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, rateLimiter } = deps;
  const production = config.env === 'production';
  const served = deps.operations.filter((op) => config.surfaces.includes(op.surface));
  const handlerTable = deps.handlers as unknown as Record<
    string,
    ((input: unknown) => Promise<HandlerResult>) | undefined
  >;
  const plans = new Map<OperationSpec, OperationPlan>();
  for (const spec of served)
    plans.set(spec, planOperation(spec, handlerTable[spec.operationId], config, rateLimiter));
  const guard: GuardSetup = {
    config,
    log: deps.log,
    clock: deps.clock,
    sessions: deps.sessions,
    idempotency: deps.idempotency,
    production,
    router: createRouter(served),
    plans,
    securityHeaders: Object.entries(securityHeaders(production)).flat(),
    accessLog: deps.accessLog ?? null,
    nextRequestId: requestIds(),
  };
  return function balanceGuard(req: IncomingMessage, res: ServerResponse): void {
    onRequest(guard, req, res);
  };
}
