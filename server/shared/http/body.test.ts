import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { AppError } from '../errors/app-error.js';
import {
  isJsonContentType,
  MAX_JSON_DEPTH,
  parseJsonBody,
  readBodyThen,
  RequestAborted,
} from './body.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'not an AppError';
  }
  return undefined;
}

describe('parseJsonBody', () => {
  it('when the body is ordinary JSON, then it is parsed', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,{"b":"c"}]}'))).toEqual({ a: [1, { b: 'c' }] });
  });

  it('when the body nests 10,000 levels, then it is refused as invalid JSON without parsing', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(codeOf(() => parseJsonBody(Buffer.from(deep)))).toBe('REQUEST.INVALID_JSON');
  });

  it('when the body nests exactly to the limit, then it is accepted', () => {
    const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(codeOf(() => parseJsonBody(Buffer.from(ok)))).toBeUndefined();
  });

  it('when brackets appear inside strings, then they do not count as nesting', () => {
    const textItem = JSON.stringify({ text: '['.repeat(100) });
    expect(parseJsonBody(Buffer.from(textItem))).toEqual({ text: '['.repeat(100) });
  });

  it.each([
    '{"__proto__":{"admin":true}}',
    '{"a":{"constructor":{"prototype":1}}}',
    '[{"prototype":1}]',
  ])('when the body has a reserved key (%s), then it is refused', (text) => {
    expect(codeOf(() => parseJsonBody(Buffer.from(text)))).toBe('REQUEST.INVALID_JSON');
  });

  it('when a reserved word is only a value, then the body is accepted', () => {
    expect(
      parseJsonBody(Buffer.from('{"message":"the constructor of prototype __proto__"}')),
    ).toEqual({ message: 'the constructor of prototype __proto__' });
  });

  it('when the body is not JSON, then it is refused as invalid JSON', () => {
    expect(codeOf(() => parseJsonBody(Buffer.from('{nope')))).toBe('REQUEST.INVALID_JSON');
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonp', false],
    [undefined, false],
  ])('when the content type is %s, then JSON is %s', (header, want) => {
    expect(isJsonContentType(header)).toBe(want);
  });
});

describe('parseJsonBody with escapes', () => {
  it('when a reserved key is written with unicode escapes, then it is still refused', () => {
    expect(codeOf(() => parseJsonBody(Buffer.from('{"\\u005f_proto__":{"admin":true}}')))).toBe(
      'REQUEST.INVALID_JSON',
    );
  });
});

describe('readBodyThen', () => {
  function read(
    limit: number,
    feed: (passThrough: PassThrough) => void,
  ): Promise<{ err: Error | null; body: string | undefined; state: string }> {
    return new Promise((resolve) => {
      const stream = new PassThrough();
      readBodyThen(
        stream as unknown as IncomingMessage,
        limit,
        (err, body, state: string) => resolve({ err, body: body?.toString('utf8'), state }),
        'mine',
      );
      feed(stream);
    });
  }

  it('when the body arrives in chunks, then they are joined and the state comes back', async () => {
    const result = await read(100, (passThrough) => {
      passThrough.write('{"a":');
      passThrough.end('1}');
    });
    expect(result).toEqual({ err: null, body: '{"a":1}', state: 'mine' });
  });

  it('when the body passes the limit without a Content-Length, then it is refused as too large', async () => {
    const result = await read(4, (passThrough) => {
      passThrough.write('abc');
      passThrough.write('def');
    });
    expect(result.err instanceof AppError ? result.err.code : result.err).toBe(
      'REQUEST.BODY_TOO_LARGE',
    );
  });

  it('when the client goes away mid-body, then the read ends with an error, once', async () => {
    let calls = 0;
    const stream = new PassThrough();
    const done = new Promise<Error | null>((resolve) =>
      readBodyThen(
        stream as unknown as IncomingMessage,
        100,
        (err) => {
          calls++;
          resolve(err);
        },
        null,
      ),
    );
    stream.write('partial');
    stream.destroy();
    expect(await done).toBeInstanceOf(RequestAborted);
    await new Promise((result) => setImmediate(result));
    expect(calls).toBe(1);
  });

  it('when a body is already being read, then a second reader is refused', () => {
    const stream = new PassThrough();
    readBodyThen(stream as unknown as IncomingMessage, 100, () => undefined, null);
    expect(() =>
      readBodyThen(stream as unknown as IncomingMessage, 100, () => undefined, null),
    ).toThrow(/already being read/);
  });
});
