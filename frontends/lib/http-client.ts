import { createApiClient, type ApiClient } from '../../generated/v1/client.js';
import { ApiError, networkError, toApiError } from './problem.js';

export { ApiError } from './problem.js';
export type { FieldErrors, Problem } from './problem.js';
export type { ApiClient };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The HTTP client of one surface: the generated typed client with cookies included, plus the
 * session's CSRF token, kept from login/me and sent as `X-CSRF-Token` on every unsafe request.
 */
export interface HttpClient {
  readonly api: ApiClient;
  readonly baseUrl: string;
  setCsrfToken(token: string | null): void;
  csrfToken(): string | null;
}

export interface HttpClientOptions {
  /** A stand-in for `globalThis.fetch` (tests). */
  fetch?: typeof fetch;
}

export function createHttpClient(baseUrl: string, options: HttpClientOptions = {}): HttpClient {
  let token: string | null = null;
  const api = createApiClient({
    baseUrl,
    credentials: 'include',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  api.use({
    onRequest({ request }) {
      if (token && !SAFE_METHODS.has(request.method.toUpperCase()))
        request.headers.set('X-CSRF-Token', token);
      return request;
    },
  });
  return {
    api,
    baseUrl,
    setCsrfToken(next) {
      token = next;
    },
    csrfToken: () => token,
  };
}

type Outcome = { data?: unknown; error?: unknown; response: Response };

/**
 * Awaits a typed call and returns its data, or throws an {@link ApiError} built from the problem
 * details (with per-field messages) — also for a network failure, as `NETWORK.UNREACHABLE`.
 * @example
 * const receipt = await call(http.api.POST('/api/v1/site/enquiries', { body }));
 */
export async function call<R extends Outcome>(
  pending: Promise<R>,
): Promise<Exclude<R['data'], undefined>> {
  let outcome: R;
  try {
    outcome = await pending;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw networkError(cause);
  }
  const { response } = outcome;
  if (!response.ok)
    throw toApiError(outcome.error, response.status, response.headers.get('Retry-After'));
  return outcome.data as Exclude<R['data'], undefined>;
}
