import { sha256Hex } from '../../crypto/tokens.js';
import { AppError } from '../../errors/app-error.js';
import { toProblem } from '../../http/problem.js';
import type { RoutedRequest } from './guard-request.js';
import { HandlerContext } from './handler-context.js';
import type { HandlerResult } from './operation-plan.js';
import { answerProblem } from './problem.js';
import { send } from './reply.js';
import { breaksContract } from './response-check.js';

/**
 * Calls the operation's handler with the validated input. Webhook signatures are computed over
 * the exact bytes, so `rawBody` operations get them too.
 */
function invoke(ctx: RoutedRequest): Promise<HandlerResult> {
  const handlerCtx = new HandlerContext(ctx);
  const { plan } = ctx;
  return plan.spec.guard.rawBody
    ? plan.handler({
        params: ctx.params,
        query: ctx.query,
        headers: ctx.declaredHeaders,
        body: ctx.body,
        rawBody: ctx.rawBody,
        ctx: handlerCtx,
      })
    : plan.handler({
        params: ctx.params,
        query: ctx.query,
        headers: ctx.declaredHeaders,
        body: ctx.body,
        ctx: handlerCtx,
      });
}

async function withIdempotency(ctx: RoutedRequest, key: string): Promise<HandlerResult> {
  const { operationId } = ctx.plan.spec;
  const { idempotency, clock } = ctx.guard;
  const scope = ctx.actor ? `user:${ctx.actor.userId}` : 'anonymous';
  const hash = sha256Hex(
    `${ctx.method} ${ctx.path}?${ctx.rawQuery}\n${ctx.rawBody?.toString('utf8') ?? ''}`,
  );
  // The handler runs inside the key's transaction: its work and the stored answer commit together.
  const outcome = await idempotency.run(
    { operationId, scope, key, requestHash: hash, now: clock.now() },
    () => invoke(ctx),
  );
  if (!outcome.replayed) return outcome.result;
  ctx.headers.set('idempotency-replayed', 'true');
  return { status: outcome.status, body: outcome.body ?? undefined };
}

/** Handler: the operation's handler, behind the idempotency key when the operation honours one. */
export function runHandler(ctx: RoutedRequest): Promise<HandlerResult> {
  const { guard } = ctx.plan.spec;
  const key = guard.idempotency !== 'none' ? ctx.req.headers['idempotency-key'] : undefined;
  if (typeof key !== 'string') {
    if (guard.idempotency === 'required') {
      throw new AppError('REQUEST.VALIDATION_FAILED', {
        detail: 'This operation needs an Idempotency-Key header.',
        errors: [
          { pointer: '/headers/idempotency-key', message: 'is required', keyword: 'required' },
        ],
      });
    }
    return invoke(ctx);
  }
  return withIdempotency(ctx, key);
}

/** Answers with the handler's result, once the response check let it through. */
export function respond(ctx: RoutedRequest, result: HandlerResult): void {
  const contentType = result.body === undefined ? null : 'application/json';
  if (breaksContract(ctx, result.status, contentType, result.body))
    return answerProblem(ctx, toProblem(null, ctx.requestId));
  send(
    ctx,
    result.status,
    result.body === undefined ? undefined : JSON.stringify(result.body),
    'application/json; charset=utf-8',
    result.headers,
  );
}
