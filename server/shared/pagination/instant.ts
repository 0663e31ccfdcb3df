import { AppError } from '../errors/app-error.js';

/**
 * A list filter's instant (`from`, `to`), as the contract's `date-time` lets it through, made into
 * one Postgres and JavaScript both take: UTC, milliseconds. RFC 3339 allows the year 0000 and
 * offsets that push a date past 9999; Postgres refuses the first and the query would fail as a 500,
 * so anything outside the years 0001 to 9999 (in UTC) is a 400 naming the parameter instead.
 * @example
 * const from = queryInstant(q.from, '/query/from'); // '2026-11-01T00:00:00.000Z' or undefined
 */
export function queryInstant(value: string | undefined, pointer: string): string | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1 || year > 9999) {
    throw new AppError('REQUEST.VALIDATION_FAILED', {
      detail: 'The instant is outside the years 0001 to 9999.',
      errors: [{ pointer, message: 'is out of range', keyword: 'format' }],
    });
  }
  return at.toISOString();
}
