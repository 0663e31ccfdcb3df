import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationSpec } from '../../../../generated/v1/operations.js';
import type { Config, SurfaceName } from '../../config/config.js';
import type { IdempotencyStore } from '../../http/idempotency.js';
import type { Actor, SessionInfo } from '../../http/request-context.js';
import type { Router, RouteResult } from '../../http/router.js';
import type { AccessLog } from '../../logging/access-log.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../time/clock.js';
import type { SessionPort } from '../session-port.js';
import { clientIp } from './client-ip.js';
import { startHeaders, type HeaderList } from './headers.js';
import type { OperationPlan } from './operation-plan.js';

/** What BalanceGuard works out once at start and every request reads. */
export interface GuardSetup {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly sessions: SessionPort;
  readonly idempotency: IdempotencyStore;
  readonly production: boolean;
  readonly router: Router;
  readonly plans: ReadonlyMap<OperationSpec, OperationPlan>;
  /** The security headers as the flat list each response's HeaderList starts from. */
  readonly securityHeaders: readonly string[];
  /** One line per answered request; none when null. */
  readonly accessLog: AccessLog | null;
  nextRequestId(): string;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{8,128}$/;
/** Every request's own values start shared and empty until a step sets them. */
const NO_VALUES: Readonly<Record<string, never>> = Object.freeze({});
const NOT_ROUTED: RouteResult = Object.freeze({ kind: 'not-found' });

/**
 * Request ids: a random per-process prefix and a counter, unique across instances and restarts
 * without paying for a random UUID on every request.
 */
export function requestIds(): () => string {
  const prefix = `req_${randomBytes(6).toString('base64url')}_`;
  let count = 0;
  return () => prefix + (++count).toString(36);
}

/**
 * One request's state as it passes the steps: the one object made per request (besides the
 * handler's context), which every step reads and writes. Steps are plain functions of it, so no
 * closure is made per request.
 */
export class GuardRequest {
  // Declared, not defined: the constructor sets each once, so V8 does not store them twice.
  declare readonly requestId: string;
  /** When the request began, for the access log (0 when there is none). */
  declare readonly started: number;
  declare readonly method: string;
  declare readonly path: string;
  declare readonly rawQuery: string;
  declare readonly ip: string;
  /** The answer's headers, the security headers and the request id first. */
  declare readonly headers: HeaderList;
  route: RouteResult = NOT_ROUTED;
  plan: OperationPlan | null = null;
  surface: SurfaceName | null = null;
  params: Record<string, string> = NO_VALUES;
  /** The caller's per-IP `RateLimit` item, once counted. */
  quota = '';
  session: SessionInfo | null = null;
  actor: Actor | null = null;
  setCookie: string | null = null;
  /** The validated query, declared headers and body the handler receives. */
  query: Record<string, unknown> = NO_VALUES;
  declaredHeaders: Record<string, string | undefined> = NO_VALUES;
  body: unknown = undefined;
  rawBody: Buffer | null = null;

  // The request id (kept from X-Request-Id when well-formed) and the answer's first headers.
  constructor(
    readonly guard: GuardSetup,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    const incoming = req.headers['x-request-id'];
    this.requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : guard.nextRequestId();
    this.started = guard.accessLog ? performance.now() : 0;
    this.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const amount = url.indexOf('?');
    this.path = amount === -1 ? url : url.slice(0, amount);
    this.rawQuery = amount === -1 ? '' : url.slice(amount + 1);
    this.ip = clientIp(req, guard.config.trustedProxies);
    this.headers = startHeaders(guard.securityHeaders, this.requestId);
  }
}

/** A request the router matched to an operation: every step after the shape check sees one. */
export type RoutedRequest = GuardRequest & { readonly plan: OperationPlan };
