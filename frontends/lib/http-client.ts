import { createApiClient, type ApiClient } from '../../generated/v1/client.js';

/**
 * The one HTTP client of every surface: typed from the contract, cookies included, and the
 * session's CSRF token sent on unsafe requests.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function createHttpClient(baseUrl: string): ApiClient {
  const client = createApiClient({ baseUrl, credentials: 'include' });
  client.use({
    onRequest({ request }) {
      if (csrfToken && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
      return request;
    },
  });
  return client;
}
