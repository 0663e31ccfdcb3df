import { describe, expect, it } from 'vitest';
import { errorCatalogue, problemCodes } from '../../../generated/v1/errors.js';
import { schemaProblem } from '../../../generated/v1/validators.standalone.js';
import { AppError, Refusal } from '../errors/app-error.js';
import { problemJson, toProblem, type Problem } from './problem.js';

describe('toProblem', () => {
  it.each(problemCodes)(
    'when an AppError carries %s, then the status comes from the catalogue and the body matches the contract',
    (code) => {
      const problemResponse = toProblem(new AppError(code, { detail: 'x' }), 'req-12345678');
      expect(problemResponse.status).toBe(errorCatalogue[code].status);
      expect(schemaProblem(problemResponse.body)).toBe(true);
    },
  );

  it('when an unknown error is thrown, then it is a bare 500 with only the request id', () => {
    const err = new Error(
      'duplicate key value violates unique constraint "users_email" at SELECT * FROM users',
    );
    const problemResponse = toProblem(err, 'req-12345678');
    expect(problemResponse.status).toBe(500);
    expect(problemResponse.body).toEqual({
      type: '/docs/errors#SERVER.INTERNAL',
      title: 'Internal error',
      status: 500,
      code: 'SERVER.INTERNAL',
      requestId: 'req-12345678',
    });
  });

  it('when an error has a retry time, then the body and the Retry-After header both carry it', () => {
    const problemResponse = toProblem(
      new AppError('REQUEST.RATE_LIMITED', { retryAfterSeconds: 42 }),
      'r',
    );
    expect(problemResponse.headers['retry-after']).toBe('42');
    expect(problemResponse.body.retryAfterSeconds).toBe(42);
  });

  it('when a Refusal carries the same fields as an AppError, then the answer is the same, and a look-alike plain object is still a bare 500', () => {
    const options = {
      detail: '2 rules failed validation.',
      errors: [{ pointer: '/body/email', message: 'must match format "email"', keyword: 'format' }],
      retryAfterSeconds: 3,
    };
    expect(toProblem(new Refusal('REQUEST.VALIDATION_FAILED', options), 'r')).toEqual(
      toProblem(new AppError('REQUEST.VALIDATION_FAILED', options), 'r'),
    );
    expect(toProblem({ code: 'REQUEST.VALIDATION_FAILED', detail: 'forged' }, 'r').status).toBe(
      500,
    );
  });
});

describe('problemJson', () => {
  const nasty = [
    '"quoted"',
    'back\\slash',
    'new\nline',
    'nul\u0000',
    'caf\u00e9',
    'emoji \u{1F600}',
    'lone \ud800 surrogate',
    'del\u007f',
    '</script>',
    '',
  ];

  it.each(problemCodes)(
    'when %s is answered, then the text is exactly JSON.stringify of the body, the first time and when remembered',
    (code) => {
      const body = toProblem(
        new AppError(code, {
          detail: `about ${code}`,
          retryAfterSeconds: code === 'REQUEST.RATE_LIMITED' ? 7 : undefined,
        }),
        'req_abc_1',
      ).body;
      expect(problemJson(body)).toBe(JSON.stringify(body));
      expect(problemJson(body)).toBe(JSON.stringify(body));
    },
  );

  it.each(nasty)(
    'when a request id, detail, pointer, message or keyword holds %j, then the text is still exactly JSON.stringify of the body',
    (value) => {
      const errors = [
        { pointer: `/body/${value}`, message: value, keyword: value },
        { pointer: '/body/email', message: 'must match format "email"', keyword: 'format' },
        { pointer: value, message: 'is required' },
      ];
      const body = toProblem(
        new Refusal('REQUEST.VALIDATION_FAILED', { detail: value, errors }),
        value,
      ).body;
      expect(problemJson(body)).toBe(JSON.stringify(body));
      expect(JSON.parse(problemJson(body))).toEqual(body);
    },
  );

  it('when a 500 is answered, or a body has fields toProblem never sets, then the text is still exactly JSON.stringify of the body', () => {
    const internal = toProblem(new Error('boom'), 'req_abc_2').body;
    expect(problemJson(internal)).toBe(JSON.stringify(internal));
    const custom: Problem = {
      type: '/docs/errors#AUTH.FORBIDDEN',
      title: 'Custom title',
      status: 403,
      code: 'AUTH.FORBIDDEN',
      instance: '/x',
      requestId: 'r',
    };
    expect(problemJson(custom)).toBe(JSON.stringify(custom));
    const retitled: Problem = {
      type: 'about:blank',
      title: 'Another title',
      status: 418,
      code: 'AUTH.FORBIDDEN',
      requestId: 'r',
    };
    expect(problemJson(retitled)).toBe(JSON.stringify(retitled));
  });

  it('when thousands of distinct messages pass (more than are remembered), then every text is still exact', () => {
    for (let index = 0; index < 3_000; index++) {
      const body = toProblem(
        new Refusal('REQUEST.VALIDATION_FAILED', {
          errors: [
            { pointer: '/body/x', message: `must be <= ${index}`, keyword: `k${index % 7}` },
          ],
        }),
        `req_${index}`,
      ).body;
      expect(problemJson(body)).toBe(JSON.stringify(body));
    }
  });
});
