import http from 'node:http';
import { createApiClient, type ApiClient } from '../../generated/v1/client.js';

export interface ClientAt {
  /** The generated typed client, sending from `localAddress`. */
  api: ApiClient;
  /** Closes the kept-alive sockets. */
  close(): void;
}

/**
 * The generated typed client, connecting from a chosen loopback address (127.0.0.2, 127.0.0.3, …),
 * so a test can be several clients by their real peer address rather than by X-Forwarded-For.
 * Written here because Node's own fetch takes no local address: that needs a dispatcher from the
 * `undici` package, whose versions are not guaranteed to fit the fetch bundled with Node.
 * @example
 * const a = clientAt(t.baseUrl, '127.0.0.2');
 * const { response } = await a.api.GET('/api/v1/health');
 */
export function clientAt(
  baseUrl: string,
  localAddress: string,
  headers: Record<string, string> = {},
): ClientAt {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  async function fetchFrom(input: Request): Promise<Response> {
    const url = new URL(input.url);
    const body = input.body ? Buffer.from(await input.arrayBuffer()) : undefined;
    const sent: Record<string, string> = {};
    input.headers.forEach((value, name) => (sent[name] = value));
    if (body) sent['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const req = http.request(
        {
          hostname: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: input.method,
          headers: sent,
          agent,
          localAddress,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (code: Buffer) => chunks.push(code));
          res.on('error', reject);
          res.on('end', () => {
            const handle = new Headers();
            for (let index = 0; index < res.rawHeaders.length; index += 2)
              handle.append(res.rawHeaders[index]!, res.rawHeaders[index + 1]!);
            const status = res.statusCode ?? 0;
            resolve(
              new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), {
                status,
                headers: handle,
              }),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  return {
    api: createApiClient({ baseUrl, fetch: fetchFrom, headers }),
    close: () => agent.destroy(),
  };
}
