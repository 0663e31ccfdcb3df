import { describe, expect, it } from 'vitest';
import {
  ApiError,
  formatWait,
  groupFieldErrors,
  parseRetryAfter,
  pointerToField,
  toApiError,
} from '../../frontends/lib/problem.js';

describe('pointerToField', () => {
  it.each([
    ['/body/email', 'email'],
    ['/body/address/line1', 'address.line1'],
    ['/query/limit', 'limit'],
    ['/params/enquiryId', 'enquiryId'],
    ['/payload/body', 'body'],
    ['/body/a~1b', 'a/b'],
    ['/body/m~0n', 'm~n'],
    ['/body', null],
    ['', null],
  ])('when the pointer is %j, then the field is %j', (pointer, field) => {
    expect(pointerToField(pointer)).toBe(field);
  });
});

describe('problem details → ApiError', () => {
  const problem = {
    type: '/docs/errors#REQUEST.VALIDATION_FAILED',
    title: 'The request is not valid',
    status: 400,
    code: 'REQUEST.VALIDATION_FAILED',
    detail: '3 fields failed validation.',
    requestId: 'req_1',
    errors: [
      { pointer: '/body/email', message: 'must match format "email"', keyword: 'format' },
      { pointer: '/body/name', message: "must have required property 'name'", keyword: 'required' },
      {
        pointer: '/body/email',
        message: 'must NOT have more than 254 characters',
        keyword: 'maxLength',
      },
      {
        pointer: '/body',
        message: 'must NOT have additional properties',
        keyword: 'additionalProperties',
      },
    ],
  };

  it('when a 400 carries field errors, then each lands on its field and the rest on the form', () => {
    const err = toApiError(problem, 400, null);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(err.requestId).toBe('req_1');
    expect(err.fieldErrors).toEqual({
      email: ['Enter a valid email address.', 'Must NOT have more than 254 characters.'],
      name: ['This field is required.'],
    });
    expect(err.formErrors).toEqual(['Must NOT have additional properties.']);
  });

  it('when a 429 has Retry-After, then the message says how long to wait', () => {
    const err = toApiError(
      { type: 'x', title: 'Too many', status: 429, code: 'REQUEST.RATE_LIMITED' },
      429,
      '120',
    );
    expect(err.retryAfterSeconds).toBe(120);
    expect(err.userMessage).toBe('Too many attempts. Please wait 2 minutes and try again.');
    const fromBody = toApiError(
      {
        type: 'x',
        title: 'Too many',
        status: 429,
        code: 'REQUEST.RATE_LIMITED',
        retryAfterSeconds: 30,
      },
      429,
      '999',
    );
    expect(fromBody.userMessage).toContain('30 seconds');
  });

  it('when the body is not problem+json, then the status still maps to a catalogue code', () => {
    const err = toApiError('<html>bad gateway</html>', 401, null);
    expect(err.code).toBe('AUTH.UNAUTHENTICATED');
    expect(toApiError(undefined, 418, null).code).toBe('RESPONSE.UNEXPECTED');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(formatWait(1)).toBe('1 second');
    expect(formatWait(61)).toBe('2 minutes');
  });

  it('groups errors without pointers as form errors', () => {
    expect(groupFieldErrors([{ pointer: '', message: 'broken' }]).rest).toEqual(['Broken.']);
  });
});
