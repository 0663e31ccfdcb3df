import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { OperationSpec } from '../../../../generated/v1/operations.js';
import type { ValidationError } from '../../../../generated/v1/validator.js';
import type { Config, SurfaceName } from '../../config/config.js';
import { sha256Hex, safeEqual } from '../../crypto/tokens.js';
import { AppError, isClientError, Refusal, type FieldError } from '../../errors/app-error.js';
import {
  bodyTooLarge,
  isJsonContentType,
  parseJsonBody,
  readBodyThen,
  RequestAborted,
} from '../../http/body.js';
import { readCookie, serializeSessionCookie } from '../../http/cookies.js';
import type { IdempotencyStore } from '../../http/idempotency.js';
import { problemJson, toProblem, type ProblemResponse } from '../../http/problem.js';
import type { Actor, RequestContext, SessionInfo } from '../../http/request-context.js';
import { createRouter, type RouteResult } from '../../http/router.js';
import type { AccessLog } from '../../logging/access-log.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../time/clock.js';
import type { RateDecision, RateLimit, RateLimiter } from '../rate-limiter.js';
import type { SessionPort, SessionSurface } from '../session-port.js';
import { clientNetwork } from '../client-network.js';
import { clientIp } from './client-ip.js';
import { contractBreach, keepContractViolation } from './contract-check.js';

/** More request headers than this is a 431 (Node is told to keep one more, so we can see it). */
export const MAX_REQUEST_HEADERS = 2000;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NEVER_ALLOWED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);
const SESSION_SCHEMES: Readonly<Record<string, SessionSurface>> = {
  clientSession: 'client',
  adminSession: 'admin',
};
const CSRF_SCHEME = 'csrfToken';
const ALLOWED_REQUEST_HEADERS = 'Content-Type, X-CSRF-Token, Idempotency-Key, X-Request-Id';
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy';
const CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = 'max-age=63072000; includeSubDomains';
const REQUEST_ID = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Request ids: a random per-process prefix and a counter, unique across instances and restarts
 * without paying for a random UUID on every request.
 */
function requestIds(): () => string {
  const prefix = `req_${randomBytes(6).toString('base64url')}_`;
  let n = 0;
  return () => prefix + (++n).toString(36);
}

/** Security headers on every response, errors included. */
export function securityHeaders(production: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...(production ? { 'strict-transport-security': HSTS } : {}),
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
  /** One line per answered request; none when absent. */
  accessLog?: AccessLog | null;
}

/** What the guard works out once per operation at start, so requests only look it up. */
interface OperationPlan {
  readonly spec: OperationSpec;
  readonly handler: (input: unknown) => Promise<HandlerResult>;
  /** The session cookie's surface when the operation is secured. */
  readonly sessionSurface: SessionSurface | undefined;
  readonly cookieName: string | undefined;
  readonly needsCsrfToken: boolean;
  /** The exact origins of the operation's surface, or null where no browser origin applies. */
  readonly origins: readonly string[] | null;
  /** The operation's rate limits from the contract, each bound to its scope at start. */
  readonly globalLimit: RateLimit | null;
  readonly ipLimit: RateLimit | null;
  readonly actorLimit: RateLimit | null;
  /** The operation's `RateLimit-Policy` header (draft-ietf-httpapi-ratelimit-headers), made at start. */
  readonly ratePolicy: string;
  /** The last per-IP `RateLimit` item made: most answers repeat it (a new address, the same second). */
  readonly ipQuota: { r: number; t: number; text: string };
  /** An absent query (or no declared header present) passes its validator unchanged: no call needed. */
  readonly emptyQueryPasses: boolean;
  readonly noHeadersPass: boolean;
}

/** True when the validator accepts `{}` and leaves it empty (no required field, no default to fill in). */
function acceptsEmpty(validate: ((data: unknown) => boolean) | null): boolean {
  if (!validate) return true;
  const probe = {};
  return validate(probe) && Object.keys(probe).length === 0;
}

type Input = {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
  rawBody: Buffer | null;
};
type HandlerResult = { status: number; body?: unknown; headers?: Readonly<Record<string, string>> };

/**
 * A response's headers as the flat `[name, value, …]` list `writeHead` takes: Node walks it with
 * an index, where an object with a different shape on every request costs a for-in and a
 * megamorphic load per header. Names are lower-case; setting a name again replaces its value.
 */
class HeaderList {
  readonly list: string[];
  constructor(base: readonly string[]) {
    this.list = base.slice();
  }
  set(name: string, value: string): void {
    const l = this.list;
    for (let i = 0; i < l.length; i += 2) {
      if (l[i] === name) {
        l[i + 1] = value;
        return;
      }
    }
    l.push(name, value);
  }
  /** For a name not yet in the list: no scan. */
  add(name: string, value: string): void {
    this.list.push(name, value);
  }
  merge(headers: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(headers)) this.set(name.toLowerCase(), headers[name]!);
  }
}

/** One request's state as it passes the steps. */
class Exchange {
  plan: OperationPlan | null = null;
  surface: SurfaceName | null = null;
  params: Record<string, string> = {};
  /** The caller's per-IP `RateLimit` item, once counted. */
  quota = '';
  session: SessionInfo | null = null;
  actor: Actor | null = null;
  setCookie: string | null = null;
  /** Params, query and headers, validated before the body is read. */
  input: Input | null = null;
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly started: number,
    readonly method: string,
    readonly path: string,
    readonly rawQuery: string,
    readonly ip: string,
    readonly headers: HeaderList,
  ) {}
}

/** The request context handed to handlers; methods live on the prototype, the logger is made on first use. */
class HandlerContext implements RequestContext {
  private child: Logger | undefined;
  private at: Date | undefined;
  constructor(
    private readonly ex: Exchange,
    private readonly plan: OperationPlan,
    private readonly rootLog: Logger,
    private readonly production: boolean,
    private readonly clock: Clock,
  ) {}
  /** The request's time, read from the clock once, when first asked. */
  get now(): Date {
    return (this.at ??= this.clock.now());
  }
  get requestId(): string {
    return this.ex.requestId;
  }
  get operationId(): string {
    return this.plan.spec.operationId;
  }
  get surface(): SurfaceName {
    return this.plan.spec.surface;
  }
  get ip(): string {
    return this.ex.ip;
  }
  get userAgent(): string | undefined {
    return this.ex.req.headers['user-agent'];
  }
  get actor(): Actor | null {
    return this.ex.actor;
  }
  get session(): SessionInfo | null {
    return this.ex.session;
  }
  get log(): Logger {
    return (this.child ??= this.rootLog.child({
      requestId: this.ex.requestId,
      operationId: this.plan.spec.operationId,
    }));
  }
  private cookieSurface(): SessionSurface {
    const surface =
      this.plan.sessionSurface ??
      (this.plan.spec.surface === 'client' || this.plan.spec.surface === 'admin'
        ? this.plan.spec.surface
        : undefined);
    if (!surface)
      throw new Error(`operation ${this.plan.spec.operationId} is not on a session surface`);
    return surface;
  }
  setSessionCookie(token: string, maxAgeSeconds: number): void {
    this.ex.setCookie = serializeSessionCookie(
      sessionCookieName(this.cookieSurface(), this.production),
      token,
      { maxAgeSeconds, secure: this.production },
    );
  }
  clearSessionCookie(): void {
    this.ex.setCookie = serializeSessionCookie(
      sessionCookieName(this.cookieSurface(), this.production),
      '',
      { maxAgeSeconds: 0, secure: this.production },
    );
  }
}

function pointerFor(prefix: string, e: ValidationError): string {
  const extra =
    e.keyword === 'required'
      ? `/${String(e.params['missingProperty'])}`
      : e.keyword === 'additionalProperties'
        ? `/${String(e.params['additionalProperty'])}`
        : '';
  return `${prefix}${e.instancePath}${extra}`;
}

function validationFailed(prefix: string, errors: ValidationError[] | null | undefined): Refusal {
  const list: FieldError[] = (errors ?? []).slice(0, 50).map((e) => ({
    pointer: pointerFor(prefix, e),
    message: e.message ?? e.keyword,
    keyword: e.keyword,
  }));
  return new Refusal('REQUEST.VALIDATION_FAILED', {
    detail: `${list.length} ${list.length === 1 ? 'rule' : 'rules'} failed validation.`,
    errors: list,
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * BalanceGuard: every HTTP request passes these steps, in this order, configured from the
 * generated operation table. Handlers only ever see typed, validated input and an actor.
 *
 *  1. request id and log context      7. CSRF (exact Origin + session token) on unsafe cookie requests
 *  2. CORS for the surface            8. authorization from the security scopes
 *  3. security headers                9. params, query, headers and body validation
 *  4. method, content type, size     10. the handler (behind the idempotency key)
 *  5. per-IP rate limit              11. response validation (development and tests)
 *  6. the surface's session,         12. error normalization to problem+json
 *     then per-actor and global limits
 * @example
 * const server = http.createServer(createBalanceGuard({ config, log, clock, operations, handlers, sessions, idempotency, rateLimiter }));
 */
export function createBalanceGuard(
  deps: BalanceGuardDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, log, clock, sessions, idempotency, rateLimiter } = deps;
  const production = config.env === 'production';
  const served = deps.operations.filter((op) => config.surfaces.includes(op.surface));
  const router = createRouter(served);
  const nextRequestId = requestIds();
  // The security headers as the flat list each response's HeaderList starts from.
  const baseHeaders = Object.entries(securityHeaders(production)).flat();
  const handlerTable = deps.handlers as unknown as Record<
    string,
    (input: unknown) => Promise<HandlerResult>
  >;
  const accessLog = deps.accessLog ?? null;

  const plans = new Map<OperationSpec, OperationPlan>();
  for (const spec of served) {
    // tsc already refuses a handler table with a gap; this only guards untyped callers.
    const handler =
      handlerTable[spec.operationId] ??
      (() => {
        throw new Error(`no handler for operation ${spec.operationId}`);
      });
    let sessionSurface: SessionSurface | undefined;
    for (const requirement of spec.security)
      for (const scheme of Object.keys(requirement)) sessionSurface ??= SESSION_SCHEMES[scheme];
    const surface = spec.surface;
    const rules = spec.guard.rateLimit;
    plans.set(spec, {
      spec,
      handler,
      sessionSurface,
      cookieName: sessionSurface ? sessionCookieName(sessionSurface, production) : undefined,
      needsCsrfToken: spec.security.some((r) => CSRF_SCHEME in r),
      origins:
        surface === 'site' || surface === 'client' || surface === 'admin'
          ? config.origins[surface]
          : null,
      globalLimit: rules.global ? rateLimiter.rule(`${spec.operationId}|g`, rules.global) : null,
      ipLimit: rules.ip ? rateLimiter.rule(`${spec.operationId}|i`, rules.ip) : null,
      actorLimit: rules.actor ? rateLimiter.rule(`${spec.operationId}|a`, rules.actor) : null,
      ratePolicy: (['ip', 'actor', 'global'] as const)
        .flatMap((k) =>
          rules[k] ? [`"${k}";q=${rules[k].limit};w=${rules[k].windowSeconds}`] : [],
        )
        .join(', '),
      ipQuota: { r: -1, t: -1, text: '' },
      emptyQueryPasses: acceptsEmpty(spec.request.query),
      noHeadersPass: acceptsEmpty(spec.request.headers),
    });
  }

  // 1. Request id and log context.
  function begin(req: IncomingMessage, res: ServerResponse): Exchange {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : nextRequestId();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    // 3. Security headers: set here so every answer, errors included, carries them.
    const headers = new HeaderList(baseHeaders);
    headers.add('x-request-id', requestId);
    return new Exchange(
      req,
      res,
      requestId,
      accessLog ? performance.now() : 0,
      req.method ?? 'GET',
      q === -1 ? url : url.slice(0, q),
      q === -1 ? '' : url.slice(q + 1),
      clientIp(req, config.trustedProxies),
      headers,
    );
  }

  function routeOf(ex: Exchange): RouteResult {
    if (ex.req.rawHeaders.length > MAX_REQUEST_HEADERS * 2)
      throw new AppError('REQUEST.HEADERS_TOO_LARGE');
    // HTTP/1.1 requires Host (RFC 9112 §3.2); the server lets it through so this answer carries our headers.
    if (
      ex.req.headers.host === undefined &&
      ex.req.httpVersionMajor === 1 &&
      ex.req.httpVersionMinor >= 1
    ) {
      throw new AppError('REQUEST.VALIDATION_FAILED', {
        detail: 'The Host header is required.',
        errors: [{ pointer: '/headers/host', message: 'is required', keyword: 'required' }],
      });
    }
    const route = router.match(ex.method, ex.path);
    if (route.kind === 'found') {
      ex.plan = plans.get(route.spec)!;
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
    const surface = ex.surface;
    if (surface !== 'site' && surface !== 'client' && surface !== 'admin') return false;
    ex.headers.add('vary', 'Origin');
    const origin = ex.req.headers.origin;
    const allowed = origin !== undefined && config.origins[surface].includes(origin);
    if (allowed) {
      ex.headers.add('access-control-allow-origin', origin);
      ex.headers.add('access-control-allow-credentials', 'true');
      ex.headers.add('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (ex.method !== 'OPTIONS' || ex.req.headers['access-control-request-method'] === undefined)
      return false;
    if (!allowed) throw new AppError('AUTH.ORIGIN_NOT_ALLOWED');
    const methods =
      route.kind === 'method-not-allowed'
        ? route.allowed
        : route.kind === 'found'
          ? [route.spec.method]
          : [];
    ex.headers.set('access-control-allow-methods', methods.join(', '));
    ex.headers.set('access-control-allow-headers', ALLOWED_REQUEST_HEADERS);
    ex.headers.set('access-control-max-age', '600');
    ex.res.writeHead(204, ex.headers.list);
    ex.res.end();
    return true;
  }

  // 4. Method, content type and body size, before a byte of the body is read.
  function checkRequestShape(ex: Exchange, route: RouteResult): OperationPlan {
    if (NEVER_ALLOWED_METHODS.has(ex.method)) {
      if (route.kind === 'method-not-allowed') ex.headers.set('allow', route.allowed.join(', '));
      throw new AppError('REQUEST.METHOD_NOT_ALLOWED');
    }
    if (route.kind === 'not-found') throw new AppError('REQUEST.NOT_FOUND');
    if (route.kind === 'method-not-allowed') {
      ex.headers.set('allow', route.allowed.join(', '));
      throw new AppError('REQUEST.METHOD_NOT_ALLOWED');
    }
    const plan = ex.plan!;
    const { spec } = plan;
    const lengthHeader = ex.req.headers['content-length'];
    const length = lengthHeader === undefined ? 0 : Number(lengthHeader);
    const bodySent = hasBody(ex.req);
    if (bodySent && spec.request.body && !isJsonContentType(ex.req.headers['content-type'])) {
      throw new AppError('REQUEST.UNSUPPORTED_MEDIA_TYPE', {
        detail: `This operation takes ${spec.request.body.contentType}.`,
      });
    }
    if (length > spec.guard.bodyLimit || (bodySent && spec.guard.bodyLimit === 0)) {
      throw bodyTooLarge(spec.guard.bodyLimit);
    }
    return plan;
  }

  // 5. The per-IP limit from the contract, keyed by the client's network (an IPv4 address, an IPv6
  // /64), before anything reaches the database: a flood, random session cookies included, stops
  // here. The per-actor and global limits follow the session (step 6b). The refusal is returned,
  // not thrown, so a flood of 429s runs optimized code (see checkBody).
  // Every answer from here on carries the operation's RateLimit-Policy and, in RateLimit, what is
  // left of the caller's own quotas (the global one's count is not shown unless it refused).
  function refusal(
    ex: Exchange,
    plan: OperationPlan,
    name: string,
    d: Extract<RateDecision, { ok: false }>,
  ): Refusal {
    if (name === 'ip') ex.headers.add('ratelimit-policy', plan.ratePolicy);
    ex.headers.set('ratelimit', `"${name}";r=0;t=${d.retryAfterSeconds}`);
    return new Refusal('REQUEST.RATE_LIMITED', { retryAfterSeconds: d.retryAfterSeconds });
  }
  function rateLimit(ex: Exchange, plan: OperationPlan): Refusal | null {
    const ip = plan.ipLimit;
    if (ip) {
      const d = ip.consume(clientNetwork(ex.ip), clock.nowMs());
      if (!d.ok) return refusal(ex, plan, 'ip', d);
      const last = plan.ipQuota;
      if (last.r !== ip.remaining || last.t !== ip.resetSeconds) {
        last.r = ip.remaining;
        last.t = ip.resetSeconds;
        last.text = '"ip";r=' + last.r + ';t=' + last.t;
      }
      ex.quota = last.text;
    }
    ex.headers.add('ratelimit-policy', plan.ratePolicy);
    if (ex.quota !== '') ex.headers.add('ratelimit', ex.quota);
    return null;
  }

  // 6b. The per-actor limit, keyed by the resolved session's id: never by the cookie's text, so a
  // made-up cookie (already refused with 401) opens no bucket, and a session counts once however
  // its cookie is spelled; without a session, by the client's network. Then the global limit: only
  // a request that passed its own limits counts against one everyone shares.
  function actorLimits(ex: Exchange, plan: OperationPlan): Refusal | null {
    const actor = plan.actorLimit;
    const global = plan.globalLimit;
    if (!actor && !global) return null;
    const now = clock.nowMs();
    if (actor) {
      const d = actor.consume(ex.session?.sessionId ?? clientNetwork(ex.ip), now);
      if (!d.ok) return refusal(ex, plan, 'actor', d);
      ex.headers.set(
        'ratelimit',
        (ex.quota === '' ? '"actor";r=' : ex.quota + ', "actor";r=') +
          actor.remaining +
          ';t=' +
          actor.resetSeconds,
      );
    }
    if (global) {
      const d = global.consume('', now);
      if (!d.ok) return refusal(ex, plan, 'global', d);
    }
    return null;
  }

  // 6. The session for the surface's cookie (only the cookie of this surface counts).
  // Returns a promise only when there is a session to look up.
  function resolveSession(ex: Exchange, plan: OperationPlan): Promise<void> | undefined {
    const surface = plan.sessionSurface;
    if (!surface) return undefined;
    const token = readCookie(ex.req.headers.cookie, plan.cookieName!);
    if (!token) throw new AppError('AUTH.UNAUTHENTICATED');
    return sessions.resolve(surface, token, clock.now()).then((session) => {
      if (!session) {
        ex.setCookie = serializeSessionCookie(plan.cookieName!, '', {
          maxAgeSeconds: 0,
          secure: production,
        });
        throw new AppError('AUTH.UNAUTHENTICATED');
      }
      ex.session = session;
      ex.actor = {
        kind: 'user',
        userId: session.userId,
        role: session.role,
        permissions: session.permissions,
        sessionId: session.sessionId,
      };
    });
  }

  // 7. CSRF: an unsafe request on a cookie session needs the surface's exact Origin and the
  // session's token. Anonymous unsafe requests from a browser must still come from an allowed origin.
  function csrf(ex: Exchange, plan: OperationPlan): void {
    if (plan.origins === null || !UNSAFE_METHODS.has(ex.method)) return;
    const origin = ex.req.headers.origin;
    if (ex.session) {
      if (origin === undefined || !plan.origins.includes(origin))
        throw new AppError('AUTH.CSRF_FAILED', {
          detail: 'The Origin header is missing or not allowed.',
        });
      const token = ex.req.headers['x-csrf-token'];
      if (
        plan.needsCsrfToken &&
        (typeof token !== 'string' || !safeEqual(token, ex.session.csrfToken))
      )
        throw new AppError('AUTH.CSRF_FAILED', {
          detail: 'The X-CSRF-Token header is missing or wrong.',
        });
    } else if (origin !== undefined && !plan.origins.includes(origin)) {
      throw new AppError('AUTH.ORIGIN_NOT_ALLOWED');
    }
  }

  // 8. Authorization: one of the operation's security alternatives must be fully satisfied.
  function authorize(ex: Exchange, plan: OperationPlan): void {
    const { security } = plan.spec;
    if (security.length === 0) return;
    const perms = ex.actor?.permissions ?? [];
    const ok = security.some((requirement) =>
      Object.values(requirement).every((scopes) => scopes.every((s) => perms.includes(s))),
    );
    if (!ok) throw new AppError('AUTH.FORBIDDEN');
  }

  // 9. Params, query and headers against the generated validators (the body follows in checkBody,
  // once it has been read). A failure is returned as a Refusal.
  function validate(ex: Exchange, plan: OperationPlan): Input | Refusal {
    const { request } = plan.spec;
    const params: Record<string, unknown> = ex.params;
    if (request.params && !request.params(params))
      return validationFailed('/params', request.params.errors);
    const query: Record<string, unknown> = {};
    if (ex.rawQuery !== '') {
      for (const [k, v] of new URLSearchParams(ex.rawQuery)) {
        if (k in query)
          throw new AppError('REQUEST.VALIDATION_FAILED', {
            detail: 'A query parameter is repeated.',
            errors: [{ pointer: `/query/${k}`, message: 'must not be repeated' }],
          });
        query[k] = v;
      }
    }
    if ((ex.rawQuery !== '' || !plan.emptyQueryPasses) && !request.query(query))
      return validationFailed('/query', request.query.errors);
    // Handlers see the declared headers only.
    const headers: Record<string, string | undefined> = {};
    if (request.headers) {
      let present = 0;
      for (const name of request.headerNames) {
        const v = ex.req.headers[name];
        if (typeof v === 'string') {
          headers[name] = v;
          present++;
        }
      }
      if ((present > 0 || !plan.noHeadersPass) && !request.headers(headers))
        return validationFailed('/headers', request.headers.errors);
    }
    return { params, query, headers, body: undefined, rawBody: null };
  }

  // The body's verdict is returned, not thrown: V8 only tiers a function up when it returns, so one
  // that throws on every call (a flood of bad bodies) would stay in the interpreter.
  function checkBody(
    bodySpec: NonNullable<OperationSpec['request']['body']>,
    input: Input,
    rawBody: Buffer | null,
  ): Refusal | null {
    const body = rawBody !== null && rawBody.length > 0 ? parseJsonBody(rawBody) : undefined;
    if (body === undefined) {
      if (bodySpec.required)
        return new Refusal('REQUEST.VALIDATION_FAILED', {
          detail: 'A JSON body is required.',
          errors: [{ pointer: '/body', message: 'a body is required', keyword: 'required' }],
        });
    } else if (!bodySpec.validate(body)) {
      return validationFailed('/body', bodySpec.validate.errors);
    }
    input.body = body;
    input.rawBody = rawBody;
    return null;
  }

  // 10. The handler, behind the idempotency key when the operation honours one. No closure is made
  // per request: under tsx each one is also a defineProperty for its name (esbuild's keepNames).
  function invoke(ex: Exchange, plan: OperationPlan, input: Input): Promise<HandlerResult> {
    const ctx = new HandlerContext(ex, plan, log, production, clock);
    // Webhook signatures are computed over the exact bytes, so `rawBody` operations get them too.
    return plan.spec.guard.rawBody
      ? plan.handler({
          params: input.params,
          query: input.query,
          headers: input.headers,
          body: input.body,
          rawBody: input.rawBody,
          ctx,
        })
      : plan.handler({
          params: input.params,
          query: input.query,
          headers: input.headers,
          body: input.body,
          ctx,
        });
  }

  function runHandler(ex: Exchange, plan: OperationPlan, input: Input): Promise<HandlerResult> {
    const { spec } = plan;
    const key = spec.guard.idempotency !== 'none' ? ex.req.headers['idempotency-key'] : undefined;
    if (typeof key !== 'string') {
      if (spec.guard.idempotency === 'required') {
        throw new AppError('REQUEST.VALIDATION_FAILED', {
          detail: 'This operation needs an Idempotency-Key header.',
          errors: [
            { pointer: '/headers/idempotency-key', message: 'is required', keyword: 'required' },
          ],
        });
      }
      return invoke(ex, plan, input);
    }
    return withIdempotency(ex, plan, input, key);
  }

  async function withIdempotency(
    ex: Exchange,
    plan: OperationPlan,
    input: Input,
    key: string,
  ): Promise<HandlerResult> {
    const { spec } = plan;
    const scope = ex.actor ? `user:${ex.actor.userId}` : 'anonymous';
    const hash = sha256Hex(
      `${ex.method} ${ex.path}?${ex.rawQuery}\n${input.rawBody?.toString('utf8') ?? ''}`,
    );
    // The handler runs inside the key's transaction: its work and the stored answer commit together.
    const outcome = await idempotency.run(
      { operationId: spec.operationId, scope, key, requestHash: hash, now: clock.now() },
      () => invoke(ex, plan, input),
    );
    if (!outcome.replayed) return outcome.result;
    ex.headers.set('idempotency-replayed', 'true');
    return { status: outcome.status, body: outcome.body ?? undefined };
  }

  // 11. In development and tests, every answer of an operation, problems included, must keep to its
  // contract. Development logs a breach loudly and answers as it is; tests answer a 500 instead and
  // keep the breach for the harness, so the test that caused it fails.
  const failOnBreach = config.env === 'test';
  function breaksContract(
    ex: Exchange,
    plan: OperationPlan,
    status: number,
    contentType: string | null,
    body: unknown,
  ): boolean {
    const breach = contractBreach(plan.spec, status, contentType, body);
    if (breach === null) return false;
    const { operationId } = plan.spec;
    log.error(
      { requestId: ex.requestId, operationId, status, breach },
      `CONTRACT VIOLATION: ${breach}; declare it in contracts/ or fix the server`,
    );
    if (!failOnBreach) return false;
    keepContractViolation({ operationId, status, requestId: ex.requestId, breach });
    return true;
  }

  /** Answers with a body already serialized (`payload`), or none. */
  function send(
    ex: Exchange,
    status: number,
    payload: string | undefined,
    contentType: string,
    extra?: Readonly<Record<string, string>>,
  ): void {
    const headers = ex.headers;
    if (extra) headers.merge(extra);
    if (ex.setCookie) headers.set('set-cookie', ex.setCookie);
    if (payload === undefined || status === 204) {
      ex.res.writeHead(status, headers.list);
      ex.res.end();
    } else {
      headers.set('content-type', contentType);
      headers.set('content-length', String(Buffer.byteLength(payload)));
      ex.res.writeHead(status, headers.list);
      ex.res.end(payload);
    }
    logAccess(ex, status);
  }

  function logAccess(ex: Exchange, status: number): void {
    if (accessLog) {
      accessLog.line(
        ex.requestId,
        ex.method,
        ex.path,
        ex.plan?.spec.operationId,
        status,
        Math.round((performance.now() - ex.started) * 10) / 10,
        ex.ip,
      );
    }
  }

  function respond(ex: Exchange, plan: OperationPlan, result: HandlerResult): void {
    if (
      config.validateResponses &&
      breaksContract(
        ex,
        plan,
        result.status,
        result.body === undefined ? null : 'application/json',
        result.body,
      )
    ) {
      return answerProblem(ex, toProblem(null, ex.requestId));
    }
    send(
      ex,
      result.status,
      result.body === undefined ? undefined : JSON.stringify(result.body),
      'application/json; charset=utf-8',
      result.headers,
    );
  }

  // 12. Error normalization: the one place an error becomes a response.
  function fail(ex: Exchange, err: unknown): void {
    if (!isClientError(err)) {
      log.error(
        { err, requestId: ex.requestId, operationId: ex.plan?.spec.operationId },
        'unhandled error',
      );
    }
    const problem = toProblem(err, ex.requestId);
    if (ex.res.headersSent) {
      ex.res.destroy();
      return;
    }
    const plan = ex.plan;
    if (
      plan !== null &&
      config.validateResponses &&
      breaksContract(ex, plan, problem.status, 'application/problem+json', problem.body)
    ) {
      return answerProblem(ex, toProblem(null, ex.requestId));
    }
    answerProblem(ex, problem);
  }

  function answerProblem(ex: Exchange, problem: ProblemResponse): void {
    // A refused body is not read: close the connection rather than drain an attacker's upload.
    if (problem.status === 413) problem.headers['connection'] = 'close';
    send(
      ex,
      problem.status,
      problemJson(problem.body),
      'application/problem+json',
      problem.headers,
    );
  }

  // Steps 10-11 for validated input.
  function handle(ex: Exchange, plan: OperationPlan, input: Input): void {
    let result: Promise<HandlerResult>;
    try {
      result = runHandler(ex, plan, input);
    } catch (err) {
      fail(ex, err);
      return;
    }
    result
      .then(
        (r) => respond(ex, plan, r),
        (err: unknown) => fail(ex, err),
      )
      .catch((err: unknown) => fail(ex, err));
  }

  // Steps 6b-11 once the session (if any) is known: synchronous up to the handler, and a body is
  // judged in its own 'end' event, so a refused request is answered in the tick it arrived.
  function afterSession(ex: Exchange, plan: OperationPlan): void {
    const limited = actorLimits(ex, plan);
    if (limited) return fail(ex, limited);
    csrf(ex, plan);
    authorize(ex, plan);
    const input = validate(ex, plan);
    if (input instanceof Refusal) return fail(ex, input);
    const bodySpec = plan.spec.request.body;
    if (!bodySpec) return handle(ex, plan, input);
    if (!hasBody(ex.req)) {
      const problem = checkBody(bodySpec, input, null);
      if (problem) return fail(ex, problem);
      return handle(ex, plan, input);
    }
    ex.input = input;
    readBodyThen(ex.req, plan.spec.guard.bodyLimit, bodyRead, ex);
  }

  // Step 9 for the body, once it is read (one function for every request: no closure per body).
  function bodyRead(err: Error | null, raw: Buffer | undefined, ex: Exchange): void {
    if (err instanceof RequestAborted) {
      // No one is left to answer, and nothing went wrong here: 499 in the access log (nginx's
      // "client closed request"), not an error.
      log.debug(
        { requestId: ex.requestId, operationId: ex.plan?.spec.operationId },
        'client went away mid-body',
      );
      ex.res.destroy();
      return logAccess(ex, 499);
    }
    if (err) return fail(ex, err);
    const plan = ex.plan!;
    const input = ex.input!;
    let problem: Refusal | null;
    try {
      problem = checkBody(plan.spec.request.body!, input, raw!);
    } catch (e) {
      return fail(ex, e);
    }
    if (problem) return fail(ex, problem);
    handle(ex, plan, input);
  }

  return function balanceGuard(req: IncomingMessage, res: ServerResponse): void {
    const ex = begin(req, res);
    try {
      const route = routeOf(ex);
      if (cors(ex, route)) return;
      const plan = checkRequestShape(ex, route);
      const refused = rateLimit(ex, plan);
      if (refused) return fail(ex, refused);
      const pending = resolveSession(ex, plan);
      if (pending === undefined) afterSession(ex, plan);
      else pending.then(() => afterSession(ex, plan)).catch((err: unknown) => fail(ex, err));
    } catch (err) {
      fail(ex, err);
    }
  };
}
