import type { Duplex } from 'node:stream';
import { errorCatalogue, type ProblemCode } from '../../../../generated/v1/errors.js';
import type { ValidationError } from '../../../../generated/v1/validator.js';
import type { FieldError } from '../../errors/app-error.js';
import type { Problem } from '../../http/problem.js';
import { securityHeaders } from '../../http/headers.js';

/** A problem body for an error frame (`system.error`) or a refused upgrade. */
export function wsProblem(
  code: ProblemCode,
  options: {
    detail?: string;
    errors?: FieldError[];
    requestId?: string;
    retryAfterSeconds?: number;
  } = {},
): Problem {
  const entry = errorCatalogue[code];
  const problem: Problem = {
    type: `/docs/errors#${code}`,
    title: entry.title,
    status: entry.status,
    code,
  };
  if (options.detail) problem.detail = options.detail;
  if (options.requestId) problem.requestId = options.requestId;
  if (options.retryAfterSeconds !== undefined)
    problem.retryAfterSeconds = options.retryAfterSeconds;
  if (options.errors?.length) problem.errors = options.errors.slice(0, 100);
  return problem;
}

/** ajv errors as JSON pointers into the frame (`/payload/body`), the contract's FieldError. */
export function pointersOf(errors: readonly ValidationError[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    let pointer = error.instancePath || '';
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    if (error.keyword === 'required' && params.missingProperty)
      pointer += `/${escape(params.missingProperty)}`;
    if (error.keyword === 'additionalProperties' && params.additionalProperty)
      pointer += `/${escape(params.additionalProperty)}`;
    const message = (error.message ?? error.keyword).slice(0, 256);
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer: pointer || '/', message, keyword: error.keyword });
    if (out.length >= 20) break;
  }
  return out;
}

function escape(segment: string): string {
  return segment.slice(0, 64).replace(/~/g, '~0').replace(/\//g, '~1');
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Refuses an upgrade before the 101: a problem+json response with the security headers, then the
 * socket is closed.
 */
export function refuseUpgrade(
  socket: Duplex,
  problem: Problem,
  production: boolean,
  extraHeaders: Record<string, string> = {},
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(problem);
  const headers = {
    ...securityHeaders(production),
    'content-type': 'application/problem+json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    connection: 'close',
    ...extraHeaders,
  };
  const head = Object.entries(headers)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\r\n');
  socket.end(
    `HTTP/1.1 ${problem.status} ${REASONS[problem.status] ?? 'Error'}\r\n${head}\r\n\r\n${body}`,
  );
  // A peer that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}
