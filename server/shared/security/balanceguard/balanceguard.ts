import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { OperationSpec } from '../../../../generated/v1/operations.js';
import type { ValidationError } from '../../../../generated/v1/validator.js';
import type { Config, SurfaceName } from '../../config/config.js';
import { sha256Hex, safeEqual } from '../../crypto/tokens.js';
import { AppError, type FieldError } from '../../errors/app-error.js';
import { isJsonContentType, parseJsonBody, readBody } from '../../http/body.js';
import { readCookie, serializeSessionCookie } from '../../http/cookies.js';
import type { IdempotencyStore } from '../../http/idempotency.js';
import { toProblem } from '../../http/problem.js';
import type { Actor, RequestContext, SessionInfo } from '../../http/request-context.js';
import { createRouter, type RouteResult } from '../../http/router.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../time/clock.js';
import type { RateLimiter, RateRule } from '../rate-limiter.js';
import type { SessionPort, SessionSurface } from '../session-port.js';
import { clientIp } from './client-ip.js';

/** More request headers than this is a 431 (Node is told to keep one more, so we can see it). */
export const MAX_REQUEST_HEADERS = 2000;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NEVER_ALLOWED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);
const CORS_SURFACES = new Set<SurfaceName>(['site', 'client', 'admin']);
const SESSION_SCHEMES: Readonly<Record<string, SessionSurface>> = { clientSession: 'client', adminSession: 'admin' };
const CSRF_SCHEME = 'csrfToken';
const ALLOWED_REQUEST_HEADERS = 'Content-Type, X-CSRF-Token, Idempotency-Key, X-Request-Id';
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After';

/** Security headers on every response, errors included. */
export function securityHeaders(production: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
    ...(production ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  });
}

/** The surface's session cookie name: `__Host-` prefixed in production. */
export function sessionCookieName(surface: SessionSurface, production: boolean): string {
  return `${production ? '__Host-' : ''}bk_${surface}_session`;
}

export interface BalanceGuardDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  operations: readonly OperationSpec[];
  handlers: Handlers<RequestContext>;
  sessions: SessionPort;
  idempotency: IdempotencyStore;
  rateLimiter: RateLimiter;
}

/** One request's state as it passes the steps. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly started: number;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly ip: string;
  headers: Record<string, string>;
  spec: OperationSpec | null;
  surface: SurfaceName | null;
  params: Record<string, string>;
  sessionToken: string | undefined;
  session: SessionInfo | null;
  actor: Actor | null;
  setCookie: string | null;
}

type Input = { params: Record<string, unknown>; query: Record<string, unknown>; headers: Record<string, string | undefined>; body: unknown; rawBody: Buffer | null };
type HandlerResult = { status: number; body?: unknown; headers?: Readonly<Record<string, string>> };

function pointerFor(prefix: string, e: ValidationError): string {
  const extra =
    e.keyword === 'required' ? `/${String(e.params['missingProperty'])}` : e.keyword === 'additionalProperties' ? `/${String(e.params['additionalProperty'])}` : '';
  return `${prefix}${e.instancePath}${extra}`;
}

function validationFailed(prefix: string, errors: ValidationError[] | null | undefined): AppError {
  const list: FieldError[] = (errors ?? []).slice(0, 50).map((e) => ({ pointer: pointerFor(prefix, e), message: e.message ?? e.keyword, keyword: e.keyword }));
  return new AppError('REQUEST.VALIDATION_FAILED', { detail: `${list.length} ${list.length === 1 ? 'rule' : 'rules'} failed validation.`, errors: list });
}

/**
 * BalanceGuard: every HTTP request passes these steps, in this order, configured from the
 * generated operation table. Handlers only ever see typed, validated input and an actor.
 * @example
 * const server = http.createServer(createBalanceGuard({ config, log, clock, operations, handlers, sessions, idempotency, rateLimiter }));
 */
export function createBalanceGuard(deps: BalanceGuardDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, log, clock, handlers, sessions, idempotency, rateLimiter } = deps;
  const production = config.env === 'production';
  const baseHeaders = securityHeaders(production);
  const router = createRouter(deps.operations.filter((op) => config.surfaces.includes(op.surface)));
  const handlerTable = handlers as unknown as Record<string, (input: unknown) => Promise<HandlerResult>>;

  // 1. Request id and log context.
  function begin(req: IncomingMessage, res: ServerResponse): Exchange {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[A-Za-z0-9_.:-]{8,128}$/.test(incoming) ? incoming : randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    return {
      req,
      res,
      requestId,
      started: performance.now(),
      method: req.method ?? 'GET',
      path: q === -1 ? url : url.slice(0, q),
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      ip: clientIp(req, config.trustedProxies),
      headers: { ...baseHeaders, 'x-request-id': requestId },
      spec: null,
      surface: null,
      params: {},
      sessionToken: undefined,
      session: null,
      actor: null,
      setCookie: null,
    };
  }

  function routeOf(ex: Exchange): RouteResult {
    if (ex.req.rawHeaders.length / 2 > MAX_REQUEST_HEADERS) throw new AppError('REQUEST.HEADERS_TOO_LARGE');
    // HTTP/1.1 requires Host (RFC 9112 §3.2); the server lets it through so this answer carries our headers.
    if (ex.req.headers.host === undefined && ex.req.httpVersionMajor === 1 && ex.req.httpVersionMinor >= 1) {
      throw new AppError('REQUEST.VALIDATION_FAILED', { detail: 'The Host header is required.', errors: [{ pointer: '/headers/host', message: 'is required', keyword: 'required' }] });
    }
    const route = router.match(ex.method, ex.path);
    if (route.kind === 'found') {
      ex.spec = route.spec;
      ex.surface = route.spec.surface;
      ex.params = route.params;
    } else if (route.kind === 'method-not-allowed') {
      ex.surface = route.specs[0]!.surface;
    }
    return route;
  }

  // 2. CORS for the operation's surface: an exact allowlist, never `*`, always `Vary: Origin`.
  // Returns true when it answered a preflight.
  function cors(ex: Exchange, route: RouteResult): boolean {
    if (ex.surface === null || !CORS_SURFACES.has(ex.surface)) return false;
    ex.headers['vary'] = 'Origin';
    const origin = ex.req.headers.origin;
    const allowed = origin !== undefined && config.origins[ex.surface as 'site' | 'client' | 'admin'].includes(origin);
    if (allowed) {
      ex.headers['access-control-allow-origin'] = origin;
      ex.headers['access-control-allow-credentials'] = 'true';
      ex.headers['access-control-expose-headers'] = EXPOSED_HEADERS;
    }
    const preflight = ex.method === 'OPTIONS' && ex.req.headers['access-control-request-method'] !== undefined;
    if (!preflight) return false;
    if (!allowed) throw new AppError('AUTH.ORIGIN_NOT_ALLOWED');
    const methods = route.kind === 'method-not-allowed' ? route.allowed : route.kind === 'found' ? [route.spec.method] : [];
    ex.headers['access-control-allow-methods'] = methods.join(', ');
    ex.headers['access-control-allow-headers'] = ALLOWED_REQUEST_HEADERS;
    ex.headers['access-control-max-age'] = '600';
    ex.res.writeHead(204, ex.headers);
    ex.res.end();
    return true;
  }

  // 3. Security headers: already in `ex.headers` from `begin`, so every answer carries them.

  // 4. Method, content type and body size, before a byte of the body is read.
  function checkRequestShape(ex: Exchange, route: RouteResult): OperationSpec {
    if (NEVER_ALLOWED_METHODS.has(ex.method)) {
      if (route.kind === 'method-not-allowed') ex.headers['allow'] = route.allowed.join(', ');
      throw new AppError('REQUEST.METHOD_NOT_ALLOWED');
    }
    if (route.kind === 'not-found') throw new AppError('REQUEST.NOT_FOUND');
    if (route.kind === 'method-not-allowed') {
      ex.headers['allow'] = route.allowed.join(', ');
      throw new AppError('REQUEST.METHOD_NOT_ALLOWED');
    }
    const spec = route.spec;
    const lengthHeader = ex.req.headers['content-length'];
    const length = lengthHeader === undefined ? 0 : Number(lengthHeader);
    const hasBody = length > 0 || ex.req.headers['transfer-encoding'] !== undefined;
    if (hasBody && spec.request.body && !isJsonContentType(ex.req.headers['content-type'])) {
      throw new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', { detail: `This operation takes ${spec.request.body.contentType}.` });
    }
    if (length > spec.guard.bodyLimit || (hasBody && spec.guard.bodyLimit === 0)) {
      throw new AppError('REQUEST.BODY_TOO_LARGE', { detail: `The limit for this operation is ${spec.guard.bodyLimit} bytes.` });
    }
    return spec;
  }

  // 5. Rate limits from the contract: per IP, global, and per actor (keyed by the session cookie
  // before it is resolved, so a flood never reaches the database).
  function rateLimit(ex: Exchange, spec: OperationSpec): void {
    const now = clock.nowMs();
    const { ip: ipRule, global: globalRule, actor: actorRule } = spec.guard.rateLimit;
    const check = (key: string, rule: RateRule | undefined) => {
      if (!rule) return;
      const d = rateLimiter.consume(key, rule, now);
      if (!d.ok) throw new AppError('REQUEST.RATE_LIMITED', { retryAfterSeconds: d.retryAfterSeconds });
    };
    check(`${spec.operationId}|g`, globalRule);
    check(`${spec.operationId}|i|${ex.ip}`, ipRule);
    if (actorRule) {
      const surface = sessionSurfaceOf(spec);
      ex.sessionToken = surface ? readCookie(ex.req.headers.cookie, sessionCookieName(surface, production)) : undefined;
      check(`${spec.operationId}|a|${ex.sessionToken ?? ex.ip}`, actorRule);
    }
  }

  function sessionSurfaceOf(spec: OperationSpec): SessionSurface | undefined {
    for (const requirement of spec.security) for (const scheme of Object.keys(requirement)) if (SESSION_SCHEMES[scheme]) return SESSION_SCHEMES[scheme];
    return undefined;
  }

  // 6. The session for the surface's cookie (only the cookie of this surface counts).
  async function resolveSession(ex: Exchange, spec: OperationSpec): Promise<void> {
    const surface = sessionSurfaceOf(spec);
    if (!surface) return;
    const token = ex.sessionToken ?? readCookie(ex.req.headers.cookie, sessionCookieName(surface, production));
    if (!token) throw new AppError('AUTH.UNAUTHENTICATED');
    const session = await sessions.resolve(surface, token, clock.now());
    if (!session) {
      ex.setCookie = serializeSessionCookie(sessionCookieName(surface, production), '', { maxAgeSeconds: 0, secure: production });
      throw new AppError('AUTH.UNAUTHENTICATED');
    }
    ex.session = session;
    ex.actor = { kind: 'user', userId: session.userId, role: session.role, permissions: session.permissions, sessionId: session.sessionId };
  }

  // 7. CSRF: an unsafe request on a cookie session needs the surface's exact Origin and the
  // session's token. Anonymous unsafe requests from a browser must still come from an allowed origin.
  function csrf(ex: Exchange, spec: OperationSpec): void {
    if (!UNSAFE_METHODS.has(ex.method) || ex.surface === null || !CORS_SURFACES.has(ex.surface)) return;
    const origin = ex.req.headers.origin;
    const allowedOrigins = config.origins[ex.surface as 'site' | 'client' | 'admin'];
    if (ex.session) {
      const token = ex.req.headers['x-csrf-token'];
      const needsToken = spec.security.some((r) => CSRF_SCHEME in r);
      if (origin === undefined || !allowedOrigins.includes(origin)) throw new AppError('AUTH.CSRF_FAILED', { detail: 'The Origin header is missing or not allowed.' });
      if (needsToken && (typeof token !== 'string' || !safeEqual(token, ex.session.csrfToken))) throw new AppError('AUTH.CSRF_FAILED', { detail: 'The X-CSRF-Token header is missing or wrong.' });
    } else if (origin !== undefined && !allowedOrigins.includes(origin)) {
      throw new AppError('AUTH.ORIGIN_NOT_ALLOWED');
    }
  }

  // 8. Authorization: one of the operation's security alternatives must be fully satisfied.
  function authorize(ex: Exchange, spec: OperationSpec): void {
    if (spec.security.length === 0) return;
    const perms = ex.actor?.permissions ?? [];
    const ok = spec.security.some((requirement) => Object.values(requirement).every((scopes) => scopes.every((s) => perms.includes(s))));
    if (!ok) throw new AppError('AUTH.FORBIDDEN');
  }

  // 9. Params, query, headers and body against the generated validators.
  async function validate(ex: Exchange, spec: OperationSpec): Promise<Input> {
    const { request } = spec;
    const params: Record<string, unknown> = { ...ex.params };
    if (request.params && !request.params(params)) throw validationFailed('/params', request.params.errors);
    const query: Record<string, unknown> = {};
    if (ex.rawQuery !== '') {
      for (const [k, v] of new URLSearchParams(ex.rawQuery)) {
        if (k in query) throw new AppError('REQUEST.VALIDATION_FAILED', { detail: 'A query parameter is repeated.', errors: [{ pointer: `/query/${k}`, message: 'must not be repeated' }] });
        query[k] = v;
      }
    }
    if (!request.query(query)) throw validationFailed('/query', request.query.errors);
    const headers: Record<string, string | undefined> = {};
    if (request.headers) {
      for (const [k, v] of Object.entries(ex.req.headers)) if (typeof v === 'string') headers[k] = v;
      if (!request.headers(headers)) throw validationFailed('/headers', request.headers.errors);
    }
    let body: unknown = undefined;
    let rawBody: Buffer | null = null;
    if (request.body) {
      const hasBody = Number(ex.req.headers['content-length'] ?? 0) > 0 || ex.req.headers['transfer-encoding'] !== undefined;
      if (hasBody) {
        rawBody = await readBody(ex.req, spec.guard.bodyLimit);
        if (rawBody.length > 0) body = parseJsonBody(rawBody);
      }
      if (body === undefined) {
        if (request.body.required) throw new AppError('REQUEST.VALIDATION_FAILED', { detail: 'A JSON body is required.', errors: [{ pointer: '/body', message: 'a body is required', keyword: 'required' }] });
      } else if (!request.body.validate(body)) {
        throw validationFailed('/body', request.body.validate.errors);
      }
    }
    return { params, query, headers, body, rawBody };
  }

  function contextFor(ex: Exchange, spec: OperationSpec): RequestContext {
    let child: Logger | undefined;
    const surface = sessionSurfaceOf(spec) ?? (spec.surface === 'client' || spec.surface === 'admin' ? spec.surface : undefined);
    return {
      requestId: ex.requestId,
      operationId: spec.operationId,
      surface: spec.surface,
      ip: ex.ip,
      userAgent: ex.req.headers['user-agent'],
      actor: ex.actor,
      session: ex.session,
      now: clock.now(),
      get log() {
        return (child ??= log.child({ requestId: ex.requestId, operationId: spec.operationId }));
      },
      setSessionCookie(token, maxAgeSeconds) {
        if (!surface) throw new Error(`operation ${spec.operationId} is not on a session surface`);
        ex.setCookie = serializeSessionCookie(sessionCookieName(surface, production), token, { maxAgeSeconds, secure: production });
      },
      clearSessionCookie() {
        if (!surface) throw new Error(`operation ${spec.operationId} is not on a session surface`);
        ex.setCookie = serializeSessionCookie(sessionCookieName(surface, production), '', { maxAgeSeconds: 0, secure: production });
      },
    };
  }

  // 10. The handler, behind the idempotency key when the operation honours one.
  async function runHandler(ex: Exchange, spec: OperationSpec, input: Input): Promise<HandlerResult> {
    const handler = handlerTable[spec.operationId];
    if (!handler) throw new Error(`no handler for operation ${spec.operationId}`);
    const call = () => handler({ params: input.params, query: input.query, headers: input.headers, body: input.body, ctx: contextFor(ex, spec) });
    const key = spec.guard.idempotency !== 'none' ? ex.req.headers['idempotency-key'] : undefined;
    if (typeof key !== 'string') {
      if (spec.guard.idempotency === 'required') {
        throw new AppError('REQUEST.VALIDATION_FAILED', { detail: 'This operation needs an Idempotency-Key header.', errors: [{ pointer: '/headers/idempotency-key', message: 'is required', keyword: 'required' }] });
      }
      return call();
    }
    const scope = ex.actor ? `user:${ex.actor.userId}` : 'anonymous';
    const hash = sha256Hex(`${ex.method} ${ex.path}?${ex.rawQuery}\n${input.rawBody?.toString('utf8') ?? ''}`);
    const claim = await idempotency.claim(spec.operationId, scope, key, hash, clock.now());
    if (claim.kind === 'replay') {
      ex.headers['idempotency-replayed'] = 'true';
      return { status: claim.status, body: claim.body ?? undefined };
    }
    try {
      const result = await call();
      await idempotency.complete(spec.operationId, scope, key, result.status, result.body);
      return result;
    } catch (err) {
      await idempotency.release(spec.operationId, scope, key).catch(() => undefined);
      throw err;
    }
  }

  // 11. In development and tests, the response must match the contract.
  function checkResponse(spec: OperationSpec, result: HandlerResult): void {
    if (!config.validateResponses) return;
    const declared = spec.responses[String(result.status)];
    if (!declared) throw new Error(`${spec.operationId} returned status ${result.status}, which the contract does not declare`);
    if (declared.validate && !declared.validate(result.body)) {
      throw new Error(`${spec.operationId} returned a ${result.status} body that breaks the contract: ${JSON.stringify(declared.validate.errors?.slice(0, 5))}`);
    }
  }

  function send(ex: Exchange, status: number, body: unknown, contentType: string, extra?: Readonly<Record<string, string>>): void {
    const headers = extra ? { ...ex.headers, ...extra } : ex.headers;
    if (ex.setCookie) headers['set-cookie'] = ex.setCookie;
    if (body === undefined || status === 204) {
      ex.res.writeHead(status, headers);
      ex.res.end();
    } else {
      const payload = JSON.stringify(body);
      headers['content-type'] = contentType;
      headers['content-length'] = String(Buffer.byteLength(payload));
      ex.res.writeHead(status, headers);
      ex.res.end(payload);
    }
    if (config.accessLog) {
      log.info({ requestId: ex.requestId, method: ex.method, path: ex.path, operationId: ex.spec?.operationId, status, ms: Math.round((performance.now() - ex.started) * 10) / 10, ip: ex.ip }, 'request');
    }
  }

  // 12. Error normalization: the one place an error becomes a response.
  function fail(ex: Exchange, err: unknown): void {
    if (!(err instanceof AppError)) {
      log.error({ err, requestId: ex.requestId, operationId: ex.spec?.operationId }, 'unhandled error');
    }
    const problem = toProblem(err, ex.requestId);
    if (ex.res.headersSent) {
      ex.res.destroy();
      return;
    }
    // A refused body is not read: close the connection rather than drain an attacker's upload.
    if (problem.status === 413) problem.headers['connection'] = 'close';
    send(ex, problem.status, problem.body, 'application/problem+json', problem.headers);
  }

  return function balanceGuard(req: IncomingMessage, res: ServerResponse): void {
    const ex = begin(req, res);
    void (async () => {
      try {
        const route = routeOf(ex);
        if (cors(ex, route)) return;
        const spec = checkRequestShape(ex, route);
        rateLimit(ex, spec);
        await resolveSession(ex, spec);
        csrf(ex, spec);
        authorize(ex, spec);
        const input = await validate(ex, spec);
        const result = await runHandler(ex, spec, input);
        checkResponse(spec, result);
        send(ex, result.status, result.body, 'application/json; charset=utf-8', result.headers);
      } catch (err) {
        fail(ex, err);
      }
    })();
  };
}
