import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyThen, RequestAborted } from '../../http/body.js';
import type { Refusal } from '../../errors/app-error.js';
import { checkBody, hasBody } from './body.js';
import { cors } from './cors.js';
import { csrf } from './csrf.js';
import { GuardRequest, type GuardSetup, type RoutedRequest } from './guard-request.js';
import { respond, runHandler } from './handler.js';
import type { HandlerResult } from './operation-plan.js';
import { authorize } from './permissions.js';
import { answerError } from './problem.js';
import { actorLimits, rateLimit } from './rate-limit.js';
import { logAccess } from './reply.js';
import { route } from './routing.js';
import { resolveSession } from './session.js';
import { checkShape } from './shape.js';
import { validateRequest } from './validation.js';

/*
 * BalanceGuard's pipeline: the one place its order is written. Every HTTP request passes these
 * steps, in this order, for every operation; each step is a plain function of the one per-request
 * object (GuardRequest), in the file of its name. The phases take Fastify's hook names.
 *
 *   onRequest   1. request id, log context guard-request.ts   X-Request-Id or a new one
 *               2. security headers        headers.ts         on every answer, errors too
 *               3. routing                 routing.ts         header count, Host, operation
 *               4. CORS for the surface    cors.ts            answers a preflight
 *               5. shape                   shape.ts           method, content type, size
 *               6. rate limit per IP       rate-limit.ts      before any database work
 *               7. the surface's session   session.ts         async only with a cookie
 *   preParsing  8. actor and global limits rate-limit.ts      by session, else network
 *               9. CSRF                    csrf.ts            Origin + token when unsafe
 *              10. permissions             permissions.ts     the security scopes
 *              11. validation              validation.ts      params, query, headers
 *   parsing    12. body                    body.ts            read, parse, validate
 *   handler    13. handler                 handler.ts         behind the idempotency key
 *   onSend     14. response check          response-check.ts  development and tests
 *   onError    15. problem                 problem.ts         any error -> problem+json
 *
 * A step refuses by throwing an AppError, or (on paths a flood can hit) by returning a Refusal so
 * the function stays optimized. Up to the handler everything is synchronous unless a session has
 * to be looked up, and a body is judged in its own 'end' event, so a refused request is answered
 * in the tick it arrived. The continuations below are module functions handed the request object,
 * never closures made per request.
 */

/**
 * Steps 1-7: everything decided from the request line and headers alone.
 * @example
 * http.createServer((req, res) => onRequest(guard, req, res));
 */
export function onRequest(guard: GuardSetup, req: IncomingMessage, res: ServerResponse): void {
  const ctx = new GuardRequest(guard, req, res);
  try {
    route(ctx);
    if (cors(ctx)) return;
    checkShape(ctx);
    const refused = rateLimit(ctx);
    if (refused) return answerError(ctx, refused);
    const pending = resolveSession(ctx);
    if (pending === undefined) preParsing(ctx);
    else void afterSession(ctx, pending);
  } catch (err) {
    answerError(ctx, err);
  }
}

async function afterSession(ctx: RoutedRequest, pending: Promise<void>): Promise<void> {
  try {
    await pending;
    preParsing(ctx);
  } catch (err) {
    answerError(ctx, err);
  }
}

/** Steps 8-11 once the session (if any) is known, then the body is read when one was sent. */
function preParsing(ctx: RoutedRequest): void {
  const limited = actorLimits(ctx);
  if (limited) return answerError(ctx, limited);
  csrf(ctx);
  authorize(ctx);
  const refused = validateRequest(ctx);
  if (refused) return answerError(ctx, refused);
  const { spec } = ctx.plan;
  if (!spec.request.body) return handler(ctx);
  if (hasBody(ctx.req)) return readBodyThen(ctx.req, spec.guard.bodyLimit, parsing, ctx);
  parsed(ctx, checkBody(ctx, null));
}

/** Step 12 once the body is read: one function for every request, no closure per body. */
function parsing(err: Error | null, raw: Buffer | undefined, ctx: RoutedRequest): void {
  if (err instanceof RequestAborted) {
    // No one is left to answer, and nothing went wrong here: 499 in the access log (nginx's
    // "client closed request"), not an error.
    ctx.guard.log.debug(
      { requestId: ctx.requestId, operationId: ctx.plan.spec.operationId },
      'client went away mid-body',
    );
    ctx.res.destroy();
    return logAccess(ctx, 499);
  }
  if (err) return answerError(ctx, err);
  let refused: Refusal | null;
  try {
    refused = checkBody(ctx, raw ?? null);
  } catch (error) {
    return answerError(ctx, error);
  }
  parsed(ctx, refused);
}

function parsed(ctx: RoutedRequest, refused: Refusal | null): void {
  if (refused) return answerError(ctx, refused);
  handler(ctx);
}

/** Step 13, then 14 for its answer or 15 for its error. */
function handler(ctx: RoutedRequest): void {
  let result: Promise<HandlerResult>;
  try {
    result = runHandler(ctx);
  } catch (err) {
    return answerError(ctx, err);
  }
  void onSend(ctx, result);
}

async function onSend(ctx: RoutedRequest, result: Promise<HandlerResult>): Promise<void> {
  try {
    let answer: HandlerResult;
    try {
      answer = await result;
    } catch (err) {
      return answerError(ctx, err);
    }
    respond(ctx, answer);
  } catch (err) {
    answerError(ctx, err);
  }
}
