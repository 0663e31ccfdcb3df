import { AppError } from '../../errors/app-error.js';
import { bodyTooLarge, isJsonContentType } from '../../http/body.js';
import { hasBody } from './body.js';
import type { GuardRequest, RoutedRequest } from './guard-request.js';

const NEVER_ALLOWED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

/**
 * Method, content type and body size, before a byte of the body is read. Answers a route that
 * matched no operation, so every later step has one.
 */
export function checkShape(ctx: GuardRequest): asserts ctx is RoutedRequest {
  const found = ctx.route;
  if (NEVER_ALLOWED_METHODS.has(ctx.method)) {
    if (found.kind === 'method-not-allowed') ctx.headers.set('allow', found.allowed.join(', '));
    throw new AppError('REQUEST.METHOD_NOT_ALLOWED');
  }
  if (found.kind === 'method-not-allowed') {
    ctx.headers.set('allow', found.allowed.join(', '));
    throw new AppError('REQUEST.METHOD_NOT_ALLOWED');
  }
  const plan = ctx.plan;
  if (plan === null) throw new AppError('REQUEST.NOT_FOUND');
  const { spec } = plan;
  const lengthHeader = ctx.req.headers['content-length'];
  const length = lengthHeader === undefined ? 0 : Number(lengthHeader);
  const bodySent = hasBody(ctx.req);
  if (bodySent && spec.request.body && !isJsonContentType(ctx.req.headers['content-type'])) {
    throw new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', {
      detail: `This operation takes ${spec.request.body.contentType}.`,
    });
  }
  if (length > spec.guard.bodyLimit || (bodySent && spec.guard.bodyLimit === 0)) {
    throw bodyTooLarge(spec.guard.bodyLimit);
  }
}
