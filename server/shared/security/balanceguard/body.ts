import type { IncomingMessage } from 'node:http';
import { parseJsonBody } from '../../http/body.js';
import { Refusal } from '../../errors/app-error.js';
import type { RoutedRequest } from './guard-request.js';
import { validationFailed } from './validation.js';

/** True when the request says a body follows (a length other than 0, or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Body: parses and validates the bytes read (none when `rawBody` is null), and keeps them for the
 * handler. The verdict is returned, not thrown: V8 only tiers a function up when it returns, so
 * one that throws on every call (a flood of bad bodies) would stay in the interpreter.
 */
export function checkBody(ctx: RoutedRequest, rawBody: Buffer | null): Refusal | null {
  const bodySpec = ctx.plan.spec.request.body;
  if (!bodySpec) return null;
  const body = rawBody !== null && rawBody.length > 0 ? parseJsonBody(rawBody) : undefined;
  if (body === undefined) {
    if (bodySpec.required)
      return new Refusal('REQUEST.VALIDATION_FAILED', {
        detail: 'A JSON body is required.',
        errors: [{ pointer: '/body', message: 'a body is required', keyword: 'required' }],
      });
  } else if (!bodySpec.validate(body)) {
    return validationFailed('/body', bodySpec.validate.errors);
  }
  ctx.body = body;
  ctx.rawBody = rawBody;
  return null;
}
