import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error.js';

/** Deepest nesting a JSON body may have; deeper bodies are refused before parsing. */
export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The client went away before its body was complete (the connection closed or was reset). Not a
 * server error: there is no one left to answer.
 */
export class RequestAborted extends Error {
  constructor(cause?: unknown) {
    super(
      'the client went away before the request body was complete',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'RequestAborted';
  }
}

/** The 413 for a body past an operation's limit, whether its Content-Length said so or its bytes did. */
export function bodyTooLarge(limit: number): AppError {
  return new AppError('REQUEST.BODY_TOO_LARGE', {
    detail: `The limit for this operation is ${limit} bytes.`,
  });
}

/** Called once per body: with the bytes, or with the error that ended the read. */
export type BodyCallback<T> = (err: Error | null, body: Buffer | undefined, state: T) => void;

const READER = Symbol('bodyReader');
type ReadingRequest = IncomingMessage & { [READER]?: BodyReader<unknown> };

/**
 * Collects one request body up to a limit. The stream listeners are module-level functions that
 * find their reader on the request (Node calls them with `this` as the stream), so reading a body
 * allocates no closures.
 */
class BodyReader<T> {
  chunks: Buffer[] = [];
  size = 0;
  constructor(
    readonly limit: number,
    readonly done: BodyCallback<T>,
    readonly state: T,
  ) {}
}

function finish(req: ReadingRequest, err: Error | null): void {
  const bodyReader = req[READER];
  if (bodyReader === undefined) return;
  req[READER] = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onError);
  req.off('close', onClose);
  if (err) bodyReader.done(err, undefined, bodyReader.state);
  else
    bodyReader.done(
      null,
      bodyReader.chunks.length === 1
        ? bodyReader.chunks[0]!
        : Buffer.concat(bodyReader.chunks, bodyReader.size),
      bodyReader.state,
    );
}

function onData(this: ReadingRequest, chunk: Buffer): void {
  const bodyReader = this[READER]!;
  bodyReader.size += chunk.length;
  if (bodyReader.size > bodyReader.limit) {
    // Stop reading: the rest of the body is discarded by the socket teardown after the 413.
    this.pause();
    finish(this, bodyTooLarge(bodyReader.limit));
    return;
  }
  bodyReader.chunks.push(chunk);
}

function onEnd(this: ReadingRequest): void {
  finish(this, null);
}

// A request stream only errors when its connection does (Node's 'aborted' ECONNRESET): the client is gone.
function onError(this: ReadingRequest, err: Error): void {
  finish(this, new RequestAborted(err));
}

function onClose(this: ReadingRequest): void {
  // 'close' before 'end': the client went away mid-body.
  finish(this, new RequestAborted());
}

/**
 * Reads a request body, refusing (413) as soon as it passes `limit` bytes, whether or not a
 * Content-Length was sent. `done(err, body, state)` runs in the request's own 'end' event, so an
 * answer written from it goes out in the same tick as the last byte came in; `state` is handed
 * back so the caller needs no closure per request.
 */
export function readBodyThen<T>(
  req: IncomingMessage,
  limit: number,
  done: BodyCallback<T>,
  state: T,
): void {
  const reading = req as ReadingRequest;
  if (reading[READER] !== undefined) throw new Error('the body is already being read');
  reading[READER] = new BodyReader(limit, done, state) as BodyReader<unknown>;
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('close', onClose);
}

/**
 * True when the body has too few brackets to nest past the limit (the usual case: no scan needed).
 * String indexOf jumps from bracket to bracket natively: a small body costs a few calls, not a
 * JavaScript loop over every character.
 */
function fewBrackets(text: string): boolean {
  let count = 0;
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1))
    if (++count > MAX_JSON_DEPTH) return false;
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1))
    if (++count > MAX_JSON_DEPTH) return false;
  return true;
}

function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const amount = text.charCodeAt(index);
    if (inString) {
      if (amount === 92)
        index++; // backslash: skip the escaped character
      else if (amount === 34) inString = false;
    } else if (amount === 34) inString = true;
    else if (amount === 123 || amount === 91) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (amount === 125 || amount === 93) depth--;
  }
  return false;
}

function findForbiddenKey(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const hit = findForbiddenKey(value[index], `${path}/${index}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}/${key}`;
      const hit = findForbiddenKey(
        (value as Record<string, unknown>)[key],
        `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      );
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
  if (!fewBrackets(text) && tooDeep(text))
    throw new AppError('REQUEST.INVALID_JSON', {
      detail: `The body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('REQUEST.INVALID_JSON', { detail: 'The body is not valid JSON.' });
  }
  // A key can hide behind a \u escape, so any escape means the keys are checked too.
  if (
    text.includes('__proto__') ||
    text.includes('constructor') ||
    text.includes('prototype') ||
    text.includes('\\u')
  ) {
    const at = findForbiddenKey(value, '/body');
    if (at)
      throw new AppError('REQUEST.INVALID_JSON', {
        detail: 'The body uses a reserved key.',
        errors: [{ pointer: at, message: 'reserved key is not allowed' }],
      });
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
