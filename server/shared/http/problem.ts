import { errorCatalogue, type ProblemCode } from '../../../generated/v1/errors.js';
import { AppError, isClientError, type FieldError } from '../errors/app-error.js';

/** An RFC 9457 problem body, as the contract's `Problem` schema defines it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  requestId?: string;
  retryAfterSeconds?: number;
  errors?: FieldError[];
}

export interface ProblemResponse {
  status: number;
  body: Problem;
  headers: Record<string, string>;
}

/** The HTTP status of a problem code: the contract's error catalogue is the only source. */
export function statusOf(code: ProblemCode): number {
  return errorCatalogue[code].status;
}

/**
 * The one error mapper: any thrown value becomes a problem response. An AppError (or a Refusal,
 * its Error-free twin) keeps its code, detail and field errors; anything else is a bare 500 with
 * the request id and nothing more.
 * @example
 * const { status, body, headers } = toProblem(err, requestId);
 */
export function toProblem(err: unknown, requestId: string): ProblemResponse {
  const app = isClientError(err) ? err : new AppError('SERVER.INTERNAL');
  const entry = errorCatalogue[app.code];
  const body: Problem = {
    type: `/docs/errors#${app.code}`,
    title: entry.title,
    status: entry.status,
    code: app.code,
    requestId,
  };
  if (app.detail !== undefined && app.code !== 'SERVER.INTERNAL') body.detail = app.detail;
  if (app.errors?.length) body.errors = app.errors.slice(0, 100);
  const headers: Record<string, string> = { ...(app.headers ?? {}) };
  if (app.retryAfterSeconds !== undefined) {
    body.retryAfterSeconds = app.retryAfterSeconds;
    headers['retry-after'] = String(app.retryAfterSeconds);
  }
  return { status: entry.status, body, headers };
}
