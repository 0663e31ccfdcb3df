import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { schemaProblem } from '../../generated/v1/validators.standalone.js';
import {
  csrfOperations,
  DEFAULT_OPENAPI,
  operations,
  preparePrismDocument,
  startMock,
  type Mock,
} from '../../codegen/mock/index.js';
import type { components } from '../../generated/v1/types.js';
import type { ContractDocument, ContractNode } from '../support/contract.js';
import { typedClient } from '../support/typed-client.js';

const doc = JSON.parse(readFileSync(DEFAULT_OPENAPI, 'utf8')) as ContractDocument;

function deref(node: ContractNode | undefined): ContractNode | undefined {
  if (node && typeof node.$ref === 'string') {
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>(
        (acc, key) =>
          (acc as Record<string, unknown> | undefined)?.[
            key.replace(/~1/g, '/').replace(/~0/g, '~')
          ],
        doc,
      );
    return deref(target as ContractNode | undefined);
  }
  return node;
}

function exampleOf(holder: ContractNode | undefined): unknown {
  const handle = deref(holder);
  if (handle === undefined) return undefined;
  if ('example' in handle) return handle.example;
  if (handle.examples && typeof handle.examples === 'object' && !Array.isArray(handle.examples)) {
    const first = deref(Object.values(handle.examples as Record<string, ContractNode>)[0]);
    return first?.value;
  }
  const schema = deref(handle.schema);
  const examples = schema?.examples;
  if (Array.isArray(examples)) return examples[0];
  if (schema && 'default' in schema) return schema.default;
  return undefined;
}

/** Path, query and headers from the contract's parameter examples, plus dummy credentials. */
function buildRequest(method: string, path: string, operation: ContractNode) {
  const pathItem = doc.paths[path] as { parameters?: ContractNode[] } | undefined;
  const params = [...(pathItem?.parameters ?? []), ...(operation.parameters ?? [])]
    .map(deref)
    .filter((param): param is ContractNode => param !== undefined);
  let url = path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = { origin: 'http://localhost:5175' };
  for (const param of params) {
    const value = exampleOf(param);
    const name = String(param.name);
    if (param.in === 'path') url = url.replace(`{${name}}`, encodeURIComponent(String(value)));
    else if (param.in === 'query' && param.required) query.set(name, String(value));
    else if (param.in === 'header' && param.required) headers[name] = String(value);
  }
  const cookies: string[] = [];
  const requirement = operation.security?.[0] ?? {};
  for (const name of Object.keys(requirement)) {
    const scheme = doc.components.securitySchemes[name]!;
    if (scheme.type === 'apiKey' && scheme.in === 'cookie')
      cookies.push(`${scheme.name}=mock-session`);
    if (scheme.type === 'apiKey' && scheme.in === 'header')
      headers[String(scheme.name)] = 'mock-csrf-token';
  }
  if (cookies.length) headers.cookie = cookies.join('; ');
  let body: string | undefined;
  const content = deref(operation.requestBody)?.content?.['application/json'];
  if (content) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(exampleOf(content));
  }
  const qs = query.toString();
  return {
    url: qs ? `${url}?${qs}` : url,
    init: { method: method.toUpperCase(), headers, ...(body !== undefined ? { body } : {}) },
  };
}

describe('npm run mock: HTTP (Prism behind the proxy)', () => {
  let mock: Mock;
  beforeAll(async () => {
    mock = await startMock({ httpPort: 0, wsPort: 0, wsReplyDelayMs: 0 });
  });
  afterAll(async () => {
    await mock?.close();
  });

  const ops = operations(doc);

  it('when the contract is read, then it has operations to mock', () => {
    expect(ops.length).toBeGreaterThan(10);
  });

  it.each(ops.map((op) => [op.operation.operationId as string, op] as const))(
    'when %s is called with its example request and credentials, then a 2xx example comes back',
    async (_id, { method, path, operation }) => {
      const { url, init } = buildRequest(method, path, operation);
      // Raw: every operation in turn, with the path and example taken from the contract as data.
      const res = await fetch(mock.httpUrl + url, init);
      const text = await res.text();
      expect(
        res.status,
        `${method.toUpperCase()} ${url} -> ${res.status} ${text}`,
      ).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
      const declared = deref((operation as ContractNode).responses?.[String(res.status)]);
      expect(declared, `status ${res.status} is declared`).toBeDefined();
      if (declared?.content)
        expect(JSON.parse(text)).toEqual(
          exampleOf(declared.content[Object.keys(declared.content)[0]!]),
        );
      else expect(text).toBe('');
    },
  );

  it('when POST /api/v1/site/enquiries gets a bad body, then a 400 REQUEST.VALIDATION_FAILED problem names each field', async () => {
    // Raw: a body with an unknown field and no message is one the typed client will not build.
    const res = await fetch(`${mock.httpUrl}/api/v1/site/enquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada', email: 'not-an-email', surprise: true }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as components['schemas']['Problem'];
    expect(schemaProblem(problem), JSON.stringify(schemaProblem.errors)).toBe(true);
    expect(problem.code).toBe('REQUEST.VALIDATION_FAILED');
    const pointers = problem.errors!.map((error) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/message', '/body/surprise']));
  });

  it('when a secured operation is called without the session cookie, then 401 AUTH.UNAUTHENTICATED comes back', async () => {
    const { response, error } = await typedClient(mock.httpUrl).GET('/api/v1/admin/auth/me');
    expect(response.status).toBe(401);
    expect(schemaProblem(error)).toBe(true);
    expect(error?.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('when an unsafe operation gets its session cookie but no X-CSRF-Token, then 403 AUTH.CSRF_FAILED comes back, as from the real API; with the token it goes through', async () => {
    const headers = { cookie: 'bk_admin_session=mock', origin: 'http://localhost:5175' };
    const refused = await typedClient(mock.httpUrl, headers).POST('/api/v1/admin/auth/logout');
    expect(refused.response.status).toBe(403);
    expect(refused.response.headers.get('access-control-allow-origin')).toBe(
      'http://localhost:5175',
    );
    expect(schemaProblem(refused.error)).toBe(true);
    expect(refused.error?.code).toBe('AUTH.CSRF_FAILED');
    const allowed = await typedClient(mock.httpUrl, { ...headers, 'x-csrf-token': 'mock' }).POST(
      '/api/v1/admin/auth/logout',
    );
    expect(allowed.response.status).toBe(204);
    // A safe method needs no token, and no cookie at all is still 401.
    expect(
      (await typedClient(mock.httpUrl, headers).GET('/api/v1/admin/auth/me')).response.status,
    ).toBe(200);
    expect(
      (await typedClient(mock.httpUrl).POST('/api/v1/admin/auth/logout')).response.status,
    ).toBe(401);
  });

  it('when the contract is read, then every operation that needs the CSRF header is found, and only those', () => {
    const found = csrfOperations(doc);
    expect(found.length).toBeGreaterThan(10);
    expect(found.every((op) => op.method !== 'GET')).toBe(true);
    expect(
      found.some(
        (op) =>
          op.method === 'POST' &&
          op.pattern.test('/api/v1/admin/auth/logout') &&
          op.cookie === 'bk_admin_session',
      ),
    ).toBe(true);
    expect(found.some((op) => op.pattern.test('/api/v1/site/enquiries'))).toBe(false);
  });

  it('when a browser on :5174 calls with credentials, then CORS echoes the origin, allows credentials and exposes X-Request-Id', async () => {
    // Raw: a preflight (OPTIONS) is the browser's, not an operation of the contract.
    const preflight = await fetch(`${mock.httpUrl}/api/v1/client/auth/password`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5174',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-csrf-token',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5174');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'x-csrf-token',
    );

    const { response } = await typedClient(mock.httpUrl, {
      origin: 'http://localhost:5174',
      cookie: 'bk_client_session=x',
    }).GET('/api/v1/client/auth/me');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5174');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('when an admin signs in on the mock, then the cookie set is bk_admin_session', async () => {
    const login = ops.find((op) => op.operation.operationId === 'adminLogin')!;
    const { url, init } = buildRequest(login.method, login.path, login.operation);
    // Raw: the request is the contract's own example, built as data like the table above.
    const res = await fetch(mock.httpUrl + url, init);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join('\n')).toMatch(/^bk_admin_session=/);
  });

  it('when the mock starts, then the WS channel answers on its own port too', async () => {
    const ws = new WebSocket(mock.channelUrls.site!);
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (data) => resolve(JSON.parse(String(data))));
      ws.once('error', reject);
    });
    ws.close();
    // The first frame is the channel's first outbound example: on every channel that is session.welcome.
    expect(first.type).toBe('session.welcome');
  });
});

describe('preparePrismDocument', () => {
  it('when a media type has named examples, then its first one becomes `example`, so Prism does not answer with the schema-level example', () => {
    const prepared = preparePrismDocument(doc) as ContractDocument;
    const unauthorized =
      prepared.components.responses.Unauthorized!.content!['application/problem+json']!;
    expect((unauthorized.example as { code: string }).code).toBe('AUTH.UNAUTHENTICATED');
    expect(
      doc.components.responses.Unauthorized!.content!['application/problem+json']!.example,
    ).toBeUndefined();
  });
});
