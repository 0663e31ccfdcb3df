import { describe, expect, it } from 'vitest';
import { errorCatalogue, problemCodes } from '../../../generated/v1/errors.js';
import { schemaProblem } from '../../../generated/v1/validators.standalone.js';
import { AppError, Refusal } from '../errors/app-error.js';
import { toProblem } from './problem.js';

describe('toProblem', () => {
  it.each(problemCodes)('when an AppError carries %s, then the status comes from the catalogue and the body matches the contract', (code) => {
    const p = toProblem(new AppError(code, { detail: 'x' }), 'req-12345678');
    expect(p.status).toBe(errorCatalogue[code].status);
    expect(schemaProblem(p.body)).toBe(true);
  });

  it('when an unknown error is thrown, then it is a bare 500 with only the request id', () => {
    const err = new Error('duplicate key value violates unique constraint "users_email" at SELECT * FROM users');
    const p = toProblem(err, 'req-12345678');
    expect(p.status).toBe(500);
    expect(p.body).toEqual({ type: '/docs/errors#SERVER.INTERNAL', title: 'Internal error', status: 500, code: 'SERVER.INTERNAL', requestId: 'req-12345678' });
  });

  it('when an error has a retry time, then the body and the Retry-After header both carry it', () => {
    const p = toProblem(new AppError('REQUEST.RATE_LIMITED', { retryAfterSeconds: 42 }), 'r');
    expect(p.headers['retry-after']).toBe('42');
    expect(p.body.retryAfterSeconds).toBe(42);
  });

  it('when a Refusal carries the same fields as an AppError, then the answer is the same, and a look-alike plain object is still a bare 500', () => {
    const options = { detail: '2 rules failed validation.', errors: [{ pointer: '/body/email', message: 'must match format "email"', keyword: 'format' }], retryAfterSeconds: 3 };
    expect(toProblem(new Refusal('REQUEST.VALIDATION_FAILED', options), 'r')).toEqual(toProblem(new AppError('REQUEST.VALIDATION_FAILED', options), 'r'));
    expect(toProblem({ code: 'REQUEST.VALIDATION_FAILED', detail: 'forged' }, 'r').status).toBe(500);
  });
});
