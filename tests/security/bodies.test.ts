/** Bodies: media type, size (refused before it is read), depth, reserved keys, unknown fields, wrong types. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../generated/v1/operations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { rawConnection, wholeResponse } from '../support/raw-connection.js';
import { waitFor } from '../support/wait.js';
import { expectProblem, freshIp, ORIGINS, SECURITY_HEADERS } from './support.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

const ENQUIRY = '/api/v1/site/enquiries';
const LIMIT = operations.submitEnquiry.guard.bodyLimit;
const valid = () => ({
  name: 'Ada Lovelace',
  email: `ada-${Math.random().toString(36).slice(2)}@example.com`,
  message: 'Meals for two, please.',
});
/** A valid enquiry through the typed client. */
const submit = (body: ReturnType<typeof valid>) =>
  testApp.api({ origin: ORIGINS.site }, { ip: freshIp() }).POST('/api/v1/site/enquiries', { body });
// Raw: the bodies here are bytes, media types and shapes the contract forbids, which the typed
// client would re-serialize or not build at all.
const post = (body: string | object, headers: Record<string, string> = {}, path = ENQUIRY) =>
  testApp.request({
    method: 'POST',
    path,
    headers: { origin: ORIGINS.site, ...headers },
    body,
    ip: freshIp(),
  });

/**
 * Sends a request head and the start of a body, never its end, and resolves with the whole answer:
 * any answer at all proves the server did not wait for the rest of the body.
 */
async function answerBeforeTheEnd(head: string, bodyStart: Buffer[] = []): Promise<string> {
  const item = rawConnection(testApp.app.port);
  item.socket.write(head);
  for (const chunk of bodyStart) item.socket.write(chunk);
  try {
    await waitFor(() => wholeResponse(item.received), {
      what: 'an answer before the end of the body',
    });
    return item.received;
  } finally {
    item.socket.destroy();
  }
}

describe('media type', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['JSON look-alike', 'application/jsonp'],
  ])(
    'when an enquiry is posted as %s, then 415 REQUEST.UNSUPPORTED_MEDIA_TYPE',
    async (_label, type) => {
      const res = await post(JSON.stringify(valid()), { 'content-type': type });
      expectProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('when a login is posted as a form, then 415', async () => {
    const res = await post(
      'email=a%40example.com&password=x',
      { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGINS.admin },
      '/api/v1/admin/auth/login',
    );
    expectProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('when a body comes with no content type at all, then 415', async () => {
    // Raw: the typed client always labels a body as JSON.
    const res = await testApp.request({
      method: 'POST',
      path: ENQUIRY,
      headers: { origin: ORIGINS.site },
      body: Buffer.from(JSON.stringify(valid())),
      ip: freshIp(),
    });
    expectProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('when an enquiry is posted as application/json with a charset, then it is accepted', async () => {
    const res = await post(JSON.stringify(valid()), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(res.status, res.text).toBe(201);
  });
});

describe('size', () => {
  it(`when a body over the limit (${LIMIT} bytes) is declared by Content-Length, then 413 arrives before the body is sent`, async () => {
    const head = `POST ${ENQUIRY} HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGINS.site}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`;
    // Answered on the headers alone: not one byte of the declared 10 MB is sent.
    const response = await answerBeforeTheEnd(head);
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toContain('REQUEST.BODY_TOO_LARGE');
    expect(response.toLowerCase()).toContain('x-content-type-options: nosniff');
  });

  it('when a chunked body without Content-Length passes the limit, then 413 arrives without the rest of the body being sent', async () => {
    const head = `POST ${ENQUIRY} HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGINS.site}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const piece = Buffer.alloc(4096, 0x20);
    // The server has to read past the limit to know: one piece past it is sent, and no last chunk.
    const pieces = Math.floor(LIMIT / piece.length) + 1;
    const chunks = Array.from({ length: pieces }, () =>
      Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]),
    );
    expect(pieces * piece.length).toBeGreaterThan(LIMIT);
    const response = await answerBeforeTheEnd(head, chunks);
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toContain('REQUEST.BODY_TOO_LARGE');
  });

  it('when a body is sent to an operation that takes none, then 413', async () => {
    // Raw: the contract gives logout no body, so the typed client will not send one.
    const res = await testApp.request({
      method: 'POST',
      path: '/api/v1/client/auth/logout',
      headers: { origin: ORIGINS.client },
      body: { a: 1 },
      ip: freshIp(),
    });
    expectProblem(res, 413, 'REQUEST.BODY_TOO_LARGE');
  });

  it('when a body exactly at the limit is sent, then it is read and judged on its content (not 413)', async () => {
    const base = JSON.stringify({ ...valid(), message: '' });
    const body = JSON.stringify({ ...valid(), message: 'x'.repeat(LIMIT - base.length - 40) });
    const res = await post(body.padEnd(LIMIT, ' '), { 'content-type': 'application/json' });
    expect(Buffer.byteLength(body.padEnd(LIMIT, ' '))).toBe(LIMIT);
    expect(res.status).not.toBe(413);
  });

  it('after the 413s, when a normal request comes, then the server still answers', async () => {
    const res = await testApp.api({}, { ip: freshIp() }).GET('/api/v1/health');
    expect(res.response.status).toBe(200);
  });
});

describe('depth', () => {
  it('when 10,000-deep JSON is sent (unterminated, inside the limit), then 400 REQUEST.INVALID_JSON for its depth', async () => {
    const res = await post('['.repeat(10_000), { 'content-type': 'application/json' });
    const body = expectProblem(res, 400, 'REQUEST.INVALID_JSON');
    expect(body.detail).toMatch(/deeper/);
  });

  it('when 8,000-deep well-formed JSON is sent (the deepest that fits the limit), then 400 REQUEST.INVALID_JSON for its depth', async () => {
    const res = await post(`{"name":${'['.repeat(8000)}${']'.repeat(8000)}}`, {
      'content-type': 'application/json',
    });
    const body = expectProblem(res, 400, 'REQUEST.INVALID_JSON');
    expect(body.detail).toMatch(/deeper/);
  });

  it('when 10,000-deep well-formed JSON is sent (20 KB), then it is refused (413, over the limit) and never parsed', async () => {
    const res = await post('['.repeat(10_000) + ']'.repeat(10_000), {
      'content-type': 'application/json',
    });
    expectProblem(res, 413, 'REQUEST.BODY_TOO_LARGE');
  });

  it('when brackets hide inside strings, then they do not count as depth', async () => {
    const res = await submit({ ...valid(), message: '['.repeat(100) + '{'.repeat(100) });
    expect(res.response.status, JSON.stringify(res.error)).toBe(201);
  });
});

describe('reserved keys', () => {
  it.each([
    [
      '__proto__ at the top',
      `{"__proto__":{"admin":true},"name":"A","email":"a@example.com","message":"m"}`,
      '/body/__proto__',
    ],
    [
      'constructor at the top',
      `{"constructor":{"prototype":{"admin":true}},"name":"A","email":"a@example.com","message":"m"}`,
      '/body/constructor',
    ],
    [
      'prototype at the top',
      `{"prototype":1,"name":"A","email":"a@example.com","message":"m"}`,
      '/body/prototype',
    ],
    [
      '__proto__ nested in an object',
      `{"name":"A","email":"a@example.com","message":"m","x":{"y":{"__proto__":{"polluted":1}}}}`,
      '/body/x/y/__proto__',
    ],
    [
      'constructor nested in an array',
      `{"name":"A","email":"a@example.com","message":"m","x":[1,{"constructor":1}]}`,
      '/body/x/1/constructor',
    ],
    [
      '__proto__ written with a unicode escape',
      `{"name":"A","email":"a@example.com","message":"m","\\u005f_proto__":{"polluted":1}}`,
      '/body/__proto__',
    ],
  ])(
    'when a body has %s, then 400 REQUEST.INVALID_JSON pointing at it and nothing is polluted',
    async (_label, raw, pointer) => {
      const res = await post(raw, { 'content-type': 'application/json' });
      const body = expectProblem(res, 400, 'REQUEST.INVALID_JSON');
      expect(body.errors?.[0]?.pointer).toBe(pointer);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    },
  );

  it('when a message merely mentions __proto__ in a value, then it is accepted', async () => {
    const res = await submit({ ...valid(), message: 'What is __proto__ or a constructor?' });
    expect(res.response.status, JSON.stringify(res.error)).toBe(201);
  });
});

describe('schema', () => {
  it('when a body has an unknown field, then 400 REQUEST.VALIDATION_FAILED with a pointer to it', async () => {
    const res = await post({ ...valid(), isAdmin: true });
    const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
    expect(body.errors!.map((error: { pointer: string }) => error.pointer)).toContain(
      '/body/isAdmin',
    );
  });

  it('when fields have the wrong types, then 400 with a pointer for each', async () => {
    const res = await post({
      name: 42,
      email: ['a@example.com'],
      message: { text: 'hi' },
      preferredContact: 'pigeon',
    });
    const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
    const pointers = body.errors!.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/name',
        '/body/email',
        '/body/message',
        '/body/preferredContact',
      ]),
    );
  });

  it('when required fields are missing, then 400 with a pointer for each', async () => {
    const res = await post({ name: 'Ada' });
    const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
    expect(body.errors!.map((error: { pointer: string }) => error.pointer)).toEqual(
      expect.arrayContaining(['/body/email', '/body/message']),
    );
  });

  it('when the body is not JSON, then 400 REQUEST.INVALID_JSON', async () => {
    const res = await post('{"name": "Ada", ', { 'content-type': 'application/json' });
    expectProblem(res, 400, 'REQUEST.INVALID_JSON');
  });

  it('when a required body is empty, then 400 pointing at /body', async () => {
    // Raw: a required body left out is what the typed client will not send.
    const res = await testApp.request({
      method: 'POST',
      path: ENQUIRY,
      headers: { origin: ORIGINS.site, 'content-type': 'application/json' },
      ip: freshIp(),
    });
    const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
    expect(body.errors![0]!.pointer).toBe('/body');
  });

  it('when a 400 is answered, then it carries the security headers', async () => {
    const res = await post({ ...valid(), extra: 1 });
    for (const [key, value] of Object.entries(SECURITY_HEADERS))
      expect(res.headers[key]).toBe(value);
  });
});
