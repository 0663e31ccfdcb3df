import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { isDatabaseUnavailable, rethrowUnavailable } from './unavailable.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('which database errors are a 503', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      '"localhost" refused on every address',
      Object.assign(
        new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
        {},
      ),
    ],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['pg-pool giving up on a connect', new Error('timeout exceeded when trying to connect')],
    [
      'a connect timeout, wrapped',
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
    ],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['no answer before query_timeout', new Error('Query read timeout')],
    [
      'a client already broken',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['admin shutdown (57P01)', pgError('57P01')],
    ['cannot connect now, starting up (57P03)', pgError('57P03')],
    ['statement_timeout (57014)', pgError('57014')],
    ['idle_in_transaction_session_timeout (25P03)', pgError('25P03')],
    ['too many connections (53300)', pgError('53300')],
    ['connection failure (08006)', pgError('08006')],
  ])('when it is %s, then it is', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(() => rethrowUnavailable(err)).toThrow(
      expect.objectContaining({ code: 'SERVICE.UNAVAILABLE', retryAfterSeconds: 5 }),
    );
  });

  it.each([
    ['a unique violation (23505)', pgError('23505')],
    ['a syntax error (42601)', pgError('42601')],
    ['a serialization failure after its retries (40001)', pgError('40001')],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['an application error', new AppError('ENQUIRY.NOT_FOUND')],
  ])('when it is %s, then it is not, and it is rethrown as it was', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect(() => rethrowUnavailable(err)).toThrow(err);
  });
});
