import type { components } from '../../generated/v1/types.js';
import { errorCatalogue, type ProblemCode } from '../../generated/v1/errors.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];

/** Field name → messages, keyed by the form field the error belongs to. */
export type FieldErrors = Record<string, string[]>;

/** Codes the client invents for failures that never reached the API. */
export type LocalCode = 'NETWORK.UNREACHABLE' | 'RESPONSE.UNEXPECTED';

/**
 * A failed API call: the problem details, typed, plus the per-field messages ready for a form.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode | LocalCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly fieldErrors: FieldErrors;
  /** Field errors whose pointer names no body field (query, params, or the whole body). */
  readonly formErrors: string[];

  constructor(init: {
    status: number;
    code: ProblemCode | LocalCode;
    title: string;
    detail?: string | undefined;
    requestId?: string | undefined;
    retryAfterSeconds?: number | undefined;
    errors?: FieldError[] | undefined;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    const { fields, rest } = groupFieldErrors(init.errors ?? []);
    this.fieldErrors = fields;
    this.formErrors = rest;
  }

  /** A sentence for a person: the detail if the server gave one, else the catalogue's title. */
  get userMessage(): string {
    if (this.code === 'REQUEST.RATE_LIMITED' || this.code === 'AUTH.LOGIN_THROTTLED') {
      const wait = this.retryAfterSeconds;
      return wait !== undefined
        ? `Too many attempts. Please wait ${formatWait(wait)} and try again.`
        : 'Too many attempts. Please wait a moment and try again.';
    }
    return this.detail ?? this.title;
  }
}

/** "45 seconds", "1 minute", "3 minutes". */
export function formatWait(seconds: number): string {
  const text = Math.max(1, Math.ceil(seconds));
  if (text < 60) return `${text} second${text === 1 ? '' : 's'}`;
  const minutes = Math.ceil(text / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const LOCATIONS = new Set(['body', 'query', 'params', 'path', 'payload', 'header', 'headers']);

/**
 * The form field a JSON pointer names: `/body/email` → `email`, `/body/address/line1` →
 * `address.line1`, `/query/limit` → `limit`, `/payload/body` → `body`. Returns null for a pointer
 * at a whole location (`/body`) or the empty pointer. Decodes RFC 6901 escapes (`~1` → `/`, `~0` → `~`).
 */
export function pointerToField(pointer: string): string | null {
  if (!pointer.startsWith('/')) return null;
  const tokens = pointer
    .slice(1)
    .split('/')
    .map((text) => text.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens.length > 0 && LOCATIONS.has(tokens[0] ?? '')) tokens.shift();
  const path = tokens.filter((token) => token !== '');
  return path.length === 0 ? null : path.join('.');
}

/** Splits field errors into per-field messages and messages that belong to the form as a whole. */
export function groupFieldErrors(errors: readonly FieldError[]): {
  fields: FieldErrors;
  rest: string[];
} {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const error of errors) {
    const name = pointerToField(error.pointer);
    const message = humaniseFieldMessage(error);
    if (name === null) rest.push(message);
    else (fields[name] ??= []).push(message);
  }
  return { fields, rest };
}

/** ajv's terse messages, rephrased for people where we know the keyword. */
export function humaniseFieldMessage(entry: FieldError): string {
  switch (entry.keyword) {
    case 'required':
      return 'This field is required.';
    case 'format':
      if (/email/i.test(entry.message)) return 'Enter a valid email address.';
      return `This doesn't look right (${entry.message}).`;
    default: {
      const match = entry.message.trim();
      return match
        ? match.charAt(0).toUpperCase() + match.slice(1) + (/[.!?]$/.test(match) ? '' : '.')
        : 'This value is not valid.';
    }
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).status === 'number' &&
    typeof (value as Problem).code === 'string'
  );
}

/**
 * Turns whatever an error response carried into an ApiError: problem+json when the server sent
 * one, else a generic error for the status. `retryAfterHeader` is the raw `Retry-After` value.
 */
export function toApiError(
  body: unknown,
  status: number,
  retryAfterHeader?: string | null,
): ApiError {
  const headerWait = retryAfterHeader ? parseRetryAfter(retryAfterHeader) : undefined;
  if (isProblem(body)) {
    return new ApiError({
      status: body.status || status,
      code: body.code,
      title: body.title,
      detail: body.detail,
      requestId: body.requestId,
      retryAfterSeconds: body.retryAfterSeconds ?? headerWait,
      errors: body.errors,
    });
  }
  const known = (
    Object.entries(errorCatalogue) as Array<[ProblemCode, { status: number; title: string }]>
  ).find(([, value]) => value.status === status);
  return new ApiError({
    status,
    code: known?.[0] ?? 'RESPONSE.UNEXPECTED',
    title: known?.[1].title ?? `The server answered ${status}.`,
    retryAfterSeconds: headerWait,
  });
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export function networkError(cause: unknown): ApiError {
  const err = new ApiError({
    status: 0,
    code: 'NETWORK.UNREACHABLE',
    title: 'We couldn\u2019t reach the server. Check your connection and try again.',
  });
  (err as { cause?: unknown }).cause = cause;
  return err;
}
