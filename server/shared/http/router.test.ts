import { describe, expect, it } from 'vitest';
import { operationList } from '../../../generated/v1/operations.js';
import { createRouter } from './router.js';

const router = createRouter(operationList);

describe('router', () => {
  it('when a static path and method match, then the operation is found', () => {
    const result = router.match('GET', '/api/v1/health');
    expect(result.kind === 'found' && result.spec.operationId).toBe('getHealth');
  });

  it('when a templated path matches, then its parameters are decoded', () => {
    const result = router.match(
      'GET',
      '/api/v1/admin/enquiries/0b7e5a1c-2d3f-4a5b-8c9d-0e1f2a3b4c5d',
    );
    expect(result.kind).toBe('found');
    if (result.kind === 'found')
      expect(result.params).toEqual({ enquiryId: '0b7e5a1c-2d3f-4a5b-8c9d-0e1f2a3b4c5d' });
  });

  it('when the path exists but not the method, then the allowed methods are listed', () => {
    const result = router.match('DELETE', '/api/v1/admin/users');
    expect(result.kind).toBe('method-not-allowed');
    if (result.kind === 'method-not-allowed')
      expect(result.allowed.sort()).toEqual(['GET', 'POST']);
  });

  it('when the path is unknown, has a trailing slash, or a malformed escape, then it is not found', () => {
    expect(router.match('GET', '/api/v1/nope').kind).toBe('not-found');
    expect(router.match('GET', '/api/v1/health/').kind).toBe('not-found');
    expect(router.match('GET', '/api/v1/admin/enquiries/%E0%A4%A').kind).toBe('not-found');
  });

  it('when a parameter would span segments, then it does not match', () => {
    expect(router.match('GET', '/api/v1/admin/enquiries/a/b').kind).toBe('not-found');
  });
});
