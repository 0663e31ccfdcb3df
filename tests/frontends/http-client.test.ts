import { describe, expect, it } from 'vitest';
import { ApiError, call, createHttpClient } from '../../frontends/lib/http-client.js';

function fakeFetch(respond: (req: Request) => Response) {
  const seen: Request[] = [];
  const fn = (async (input: Request | string | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    seen.push(req);
    return respond(req);
  }) as typeof fetch;
  return { fn, seen };
}

const session = {
  user: {
    id: 'u1',
    email: 'ada@example.com',
    displayName: 'Ada',
    role: 'client',
    status: 'active',
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  csrfToken: 'tok-123',
  session: {
    idleExpiresAt: '2026-01-01T00:30:00.000Z',
    absoluteExpiresAt: '2026-01-01T12:00:00.000Z',
  },
};

describe('http client', () => {
  it('when a token is set, then unsafe requests carry X-CSRF-Token and safe ones do not; cookies are included', async () => {
    const { fn, seen } = fakeFetch((req) =>
      req.method === 'GET' ? Response.json(session) : new Response(null, { status: 204 }),
    );
    const http = createHttpClient('http://api.test', { fetch: fn });
    const me = await call(http.api.GET('/api/v1/client/auth/me'));
    http.setCsrfToken(me.csrfToken);
    await call(http.api.POST('/api/v1/client/auth/logout'));
    await call(http.api.GET('/api/v1/client/auth/me'));
    expect(seen.map((request) => [request.method, request.headers.get('X-CSRF-Token')])).toEqual([
      ['GET', null],
      ['POST', 'tok-123'],
      ['GET', null],
    ]);
    expect(seen.every((request) => request.credentials === 'include')).toBe(true);
  });

  it('when the server answers problem+json, then call throws an ApiError with field errors', async () => {
    const { fn } = fakeFetch(
      () =>
        new Response(
          JSON.stringify({
            type: 't',
            title: 'The request is not valid',
            status: 400,
            code: 'REQUEST.VALIDATION_FAILED',
            errors: [
              { pointer: '/body/email', message: 'must match format "email"', keyword: 'format' },
            ],
          }),
          { status: 400, headers: { 'content-type': 'application/problem+json' } },
        ),
    );
    const http = createHttpClient('http://api.test', { fetch: fn });
    const err = await call(
      http.api.POST('/api/v1/site/enquiries', {
        body: { name: 'A', email: 'nope', message: 'hi' },
      }),
    ).catch((entry: unknown) => entry);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldErrors).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('when the network fails, then call throws NETWORK.UNREACHABLE', async () => {
    const http = createHttpClient('http://api.test', {
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    });
    const err = await call(http.api.GET('/api/v1/health')).catch((entry: unknown) => entry);
    expect((err as ApiError).code).toBe('NETWORK.UNREACHABLE');
    expect((err as ApiError).status).toBe(0);
  });
});
