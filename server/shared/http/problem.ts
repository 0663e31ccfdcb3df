import { errorCatalogue, type ProblemCode } from '../../../generated/v1/errors.js';
import { AppError, isClientError, type FieldError } from '../errors/app-error.js';
import { jsonString } from '../json/json-string.js';

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

// The parts of a problem that repeat: each code's opening fields, and each validator message with
// its keyword (they come from the schemas, so there are few). Bounded all the same.
const MAX_REMEMBERED = 1024;
const openings = new Map<string, { type: string; title: string; status: number; json: string }>();
const messageTails = new Map<string, Map<string, string>>();
let remembered = 0;

function openingOf(body: Problem): string {
  const known = openings.get(body.code);
  if (
    known !== undefined &&
    known.type === body.type &&
    known.title === body.title &&
    known.status === body.status
  )
    return known.json;
  const json = `{"type":${JSON.stringify(body.type)},"title":${JSON.stringify(body.title)},"status":${JSON.stringify(body.status)},"code":${JSON.stringify(body.code)}`;
  if (known === undefined && remembered < MAX_REMEMBERED) {
    openings.set(body.code, { type: body.type, title: body.title, status: body.status, json });
    remembered++;
  }
  return json;
}

function messageTail(message: string, keyword: string | undefined): string {
  const byMessage = messageTails.get(keyword ?? '');
  const known = byMessage?.get(message);
  if (known !== undefined) return known;
  const tail = `,"message":${JSON.stringify(message)}${keyword === undefined ? '' : `,"keyword":${JSON.stringify(keyword)}`}}`;
  if (remembered < MAX_REMEMBERED) {
    if (byMessage === undefined) messageTails.set(keyword ?? '', new Map([[message, tail]]));
    else byMessage.set(message, tail);
    remembered++;
  }
  return tail;
}

/**
 * A problem body as JSON: the same text as `JSON.stringify(body)` for every body `toProblem` makes,
 * at about a third of the cost. A flood of rejected requests is answered with these, and
 * JSON.stringify spent most of a rejection's own time on the field errors. The repeating parts are
 * serialized once and remembered; only the request id, the detail and the pointers are new each time.
 * @example
 * res.end(problemJson(toProblem(err, requestId).body));
 */
export function problemJson(body: Problem): string {
  // Only the fields toProblem sets, in its order; anything else is written the general way.
  if (body.instance !== undefined || body.requestId === undefined) return JSON.stringify(body);
  // Joined once at the end: a flat string, where `+=` would leave a rope for the socket write to walk.
  const parts = [openingOf(body), ',"requestId":', jsonString(body.requestId)];
  if (body.detail !== undefined) parts.push(',"detail":', jsonString(body.detail));
  const errors = body.errors;
  if (errors !== undefined) {
    parts.push(',"errors":[');
    for (let index = 0; index < errors.length; index++) {
      const error = errors[index]!;
      parts.push(
        index === 0 ? '{"pointer":' : ',{"pointer":',
        jsonString(error.pointer),
        messageTail(error.message, error.keyword),
      );
    }
    parts.push(']');
  }
  if (body.retryAfterSeconds !== undefined)
    parts.push(',"retryAfterSeconds":', JSON.stringify(body.retryAfterSeconds));
  parts.push('}');
  return parts.join('');
}
