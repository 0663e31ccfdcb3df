import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { queryInstant } from './instant.js';

describe('queryInstant', () => {
  it('when no value is given, then there is no filter', () => {
    expect(queryInstant(undefined, '/query/from')).toBeUndefined();
  });

  it.each([
    ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T01:30:00+01:30', '2026-11-01T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('when %s is given, then it is the UTC instant %s', (value, utc) => {
    expect(queryInstant(value, '/query/from')).toBe(utc);
  });

  it.each([
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    'not a date',
  ])('when %s is given, then it is a 400 naming the parameter', (value) => {
    let err: unknown;
    try {
      queryInstant(value, '/query/to');
    } catch (error) {
      err = error;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('REQUEST.VALIDATION_FAILED');
    expect((err as AppError).errors?.[0]?.pointer).toBe('/query/to');
  });
});
