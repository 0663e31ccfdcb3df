import type { ProblemCode } from '../../../generated/v1/errors.js';

export type { ProblemCode };

/** One failed rule, located by a JSON pointer into the request (`/body/email`). */
export interface FieldError {
  pointer: string;
  message: string;
  keyword?: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * Every error a client may see. The `code` is stable and listed in the contract's error
 * catalogue; `server/shared/http/problem.ts` alone turns it into a status and a problem body.
 * @example
 * export class EnquiryNotFound extends AppError {
 *   constructor() { super('ENQUIRY.NOT_FOUND'); }
 * }
 */
export class AppError extends Error {
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ProblemCode,
    options: AppErrorOptions = {},
  ) {
    // A client error is an answer, not a crash: skip the stack trace, which costs more than the rest
    // of a rejected request. `cause` keeps the stack of anything underneath.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(
      options.detail ?? code,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }
}

/**
 * A client error as a plain value: the same fields as an AppError, without being an Error. Building
 * an Error costs about a microsecond even with no stack; the guard's rejection paths, which a flood
 * of bad requests hits on every request (body validation, rate limits), return a Refusal instead.
 * Everything else throws AppError; `toProblem` answers both alike.
 * @example
 * if (!validate(body)) return new Refusal('REQUEST.VALIDATION_FAILED', { detail, errors });
 */
export class Refusal {
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ProblemCode,
    options: Omit<AppErrorOptions, 'cause'> = {},
  ) {
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers;
  }
}

/** An answer for the client (AppError or Refusal), as opposed to a crash to log and hide behind a 500. */
export function isClientError(err: unknown): err is AppError | Refusal {
  return err instanceof AppError || err instanceof Refusal;
}
