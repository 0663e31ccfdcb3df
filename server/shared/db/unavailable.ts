import { AppError } from '../errors/app-error.js';

/** What a 503 caused by the database tells the client to wait before retrying. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATEs that say "the database cannot serve this now", not "this request is wrong": connection
 * exceptions (08), insufficient resources (53: too many connections, disk full, out of memory),
 * shutdown and crash (57P01-57P05), a statement cancelled by statement_timeout (57014), a lock not
 * obtained in time (55P03), and a session ended by idle_in_transaction_session_timeout (25P03).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53...|57P0.|57014|55P03|25P03)$/;

/** Node socket errors on the way to the server. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/** What pg and pg-pool throw when a connection is lost, never made, or a query got no answer in time. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|timeout expired|Query read timeout|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end on the pool)/;

/**
 * True when an error from `pg` means the database is unreachable, overloaded or went away, as
 * opposed to a bug or a constraint: such a request deserves a 503 and a retry, not a 500.
 * @example
 * if (isDatabaseUnavailable(err)) throw databaseUnavailable(err);
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const entry = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (
    typeof entry.code === 'string' &&
    (UNAVAILABLE_SQLSTATE.test(entry.code) || UNAVAILABLE_SOCKET_CODES.has(entry.code))
  )
    return true;
  if (typeof entry.message === 'string' && UNAVAILABLE_MESSAGE.test(entry.message)) return true;
  // A connect to "localhost" tries each address and fails with all of them at once.
  if (
    Array.isArray(entry.errors) &&
    entry.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))
  )
    return true;
  return isDatabaseUnavailable(entry.cause, depth + 1);
}

/** The client-facing error for a database that cannot serve now; the pg error stays as its cause. */
export function databaseUnavailable(cause: unknown): AppError {
  return new AppError('SERVICE.UNAVAILABLE', {
    detail: 'The database is unavailable; retry shortly.',
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    cause,
  });
}

/** Rethrows a database-unavailable error as SERVICE.UNAVAILABLE, anything else as it is. */
export function rethrowUnavailable(err: unknown): never {
  if (err instanceof AppError || !isDatabaseUnavailable(err)) throw err;
  throw databaseUnavailable(err);
}
