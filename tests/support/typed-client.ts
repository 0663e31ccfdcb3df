import { createApiClient, type ApiClient } from '../../generated/v1/client.js';

export type { ApiClient };

export interface TypedClientOptions {
  /** A client-side bound after which a request is aborted ("answered, not hung", not a timing). */
  timeoutMs?: number;
  /** The client's address, sent as `X-Forwarded-For` (the test apps trust 127.0.0.1 as a proxy). */
  ip?: string;
}

/**
 * The generated typed client (openapi-fetch) for one caller: fixed headers (cookie, Origin, CSRF
 * token) on every request, optionally a client address (`ip`) and a client-side bound
 * (`timeoutMs`). Responses are typed from the contract: `data` per 2xx, `error` as its Problem.
 * Response headers (Set-Cookie included, via `getSetCookie()`) are on `response.headers`.
 * @example
 * const api = typedClient(t.baseUrl, signedIn.headers());
 * const { data, response } = await api.GET('/api/v1/client/chat/conversations');
 */
export function typedClient(
  baseUrl: string,
  headers: Record<string, string> = {},
  options: TypedClientOptions = {},
): ApiClient {
  const timeoutMs = options.timeoutMs;
  return createApiClient({
    baseUrl,
    headers: options.ip ? { 'x-forwarded-for': options.ip, ...headers } : headers,
    ...(timeoutMs === undefined
      ? {}
      : { fetch: (req: Request) => fetch(req, { signal: AbortSignal.timeout(timeoutMs) }) }),
  });
}

/** The `name=value` of a response's first Set-Cookie, for sending back as a Cookie header. */
export function sessionCookie(response: Response): string {
  const first = response.headers.getSetCookie()[0];
  if (!first) throw new Error(`no Set-Cookie header on a ${response.status}`);
  return first.split(';')[0]!;
}
