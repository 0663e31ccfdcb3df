import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.js';

/** Deepest nesting a JSON body may have; deeper bodies are refused before parsing. */
export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Collects one request body up to a limit; its handlers are bound once, not made per chunk. */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private done = false;
  constructor(
    private readonly req: IncomingMessage,
    private readonly limit: number,
    private readonly resolve: (body: Buffer) => void,
    private readonly reject: (err: Error) => void,
  ) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
    this.onClose = this.onClose.bind(this);
    req.on('data', this.onData);
    req.on('end', this.onEnd);
    req.on('error', this.onError);
    req.on('close', this.onClose);
  }
  private finish(err: Error | null): void {
    if (this.done) return;
    this.done = true;
    this.req.off('data', this.onData);
    this.req.off('end', this.onEnd);
    this.req.off('error', this.onError);
    this.req.off('close', this.onClose);
    if (err) this.reject(err);
    else this.resolve(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size));
  }
  onData(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) {
      // Stop reading: the rest of the body is discarded by the socket teardown after the 413.
      this.req.pause();
      this.finish(new AppError('REQUEST.BODY_TOO_LARGE', { detail: `The limit for this operation is ${this.limit} bytes.` }));
      return;
    }
    this.chunks.push(chunk);
  }
  onEnd(): void {
    this.finish(null);
  }
  onError(err: Error): void {
    this.finish(err);
  }
  onClose(): void {
    // 'close' before 'end': the client went away mid-body.
    this.finish(new Error('request aborted'));
  }
}

/**
 * Reads a request body, refusing (413) as soon as it passes `limit` bytes, whether or not a
 * Content-Length was sent. `done` runs in the request's own 'end' event, so an answer written from
 * it goes out in the same tick as the last byte came in.
 */
export function readBodyThen(req: IncomingMessage, limit: number, done: (err: Error | null, body?: Buffer) => void): void {
  new BodyReader(req, limit, (body) => done(null, body), (err) => done(err));
}

/** `readBodyThen` as a promise. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new BodyReader(req, limit, resolve, reject);
  });
}

/** True when the body has too few brackets to nest past the limit (the usual case: no scan needed). */
function fewBrackets(raw: Buffer): boolean {
  let n = 0;
  for (const bracket of [0x7b, 0x5b]) {
    let at = raw.indexOf(bracket);
    while (at !== -1) {
      if (++n > MAX_JSON_DEPTH) return false;
      at = raw.indexOf(bracket, at + 1);
    }
  }
  return true;
}

function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function findForbiddenKey(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findForbiddenKey(value[i], `${path}/${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}/${key}`;
      const hit = findForbiddenKey((value as Record<string, unknown>)[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * Parses a JSON body safely: refuses bodies nested deeper than MAX_JSON_DEPTH (before parsing,
 * so a 10,000-deep body costs one scan) and keys that could pollute prototypes.
 */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (!fewBrackets(raw) && tooDeep(text)) throw new AppError('REQUEST.INVALID_JSON', { detail: `The body nests deeper than ${MAX_JSON_DEPTH} levels.` });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('REQUEST.INVALID_JSON', { detail: 'The body is not valid JSON.' });
  }
  // A key can hide behind a \u escape, so any escape means the keys are checked too.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u')) {
    const at = findForbiddenKey(value, '/body');
    if (at) throw new AppError('REQUEST.INVALID_JSON', { detail: 'The body uses a reserved key.', errors: [{ pointer: at, message: 'reserved key is not allowed' }] });
  }
  return value;
}

/** True when the content type is JSON (`application/json`, any charset parameter). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const semi = header.indexOf(';');
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json';
}
