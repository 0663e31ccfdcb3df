import { createApiClient, type ApiClient } from '../../generated/v1/client.js';

/**
 * The generated typed client (openapi-fetch) for one caller: fixed headers (cookie, Origin, CSRF
 * token) on every request, and, with `timeoutMs`, a client-side bound after which a request is
 * aborted (so a test can say "answered, not hung" without measuring time).
 * @example
 * const api = typedClient(t.baseUrl, signedIn.headers());
 * const { data, response } = await api.GET('/api/v1/client/chat/conversations');
 */
export function typedClient(
  baseUrl: string,
  headers: Record<string, string> = {},
  options: { timeoutMs?: number } = {},
): ApiClient {
  const timeoutMs = options.timeoutMs;
  return createApiClient({
    baseUrl,
    headers,
    ...(timeoutMs === undefined
      ? {}
      : { fetch: (req: Request) => fetch(req, { signal: AbortSignal.timeout(timeoutMs) }) }),
  });
}
