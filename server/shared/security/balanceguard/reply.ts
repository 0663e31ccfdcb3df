import type { GuardRequest } from './guard-request.js';

/**
 * Writes the answer with its body already serialized (`payload`), or none, then logs it. The one
 * place an answer is written, besides a CORS preflight's 204.
 */
export function send(
  ctx: GuardRequest,
  status: number,
  payload: string | undefined,
  contentType: string,
  extra?: Readonly<Record<string, string>>,
): void {
  const headers = ctx.headers;
  if (extra) headers.merge(extra);
  if (ctx.setCookie) headers.set('set-cookie', ctx.setCookie);
  if (payload === undefined || status === 204) {
    ctx.res.writeHead(status, headers.list);
    ctx.res.end();
  } else {
    headers.set('content-type', contentType);
    headers.set('content-length', String(Buffer.byteLength(payload)));
    ctx.res.writeHead(status, headers.list);
    ctx.res.end(payload);
  }
  logAccess(ctx, status);
}

/** One access-log line for the answered request, when access logging is on. */
export function logAccess(ctx: GuardRequest, status: number): void {
  const accessLog = ctx.guard.accessLog;
  if (accessLog) {
    accessLog.line(
      ctx.requestId,
      ctx.method,
      ctx.path,
      ctx.plan?.spec.operationId,
      status,
      Math.round((performance.now() - ctx.started) * 10) / 10,
      ctx.ip,
    );
  }
}
