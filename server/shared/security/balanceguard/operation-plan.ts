import type { OperationSpec } from '../../../../generated/v1/operations.js';
import type { Config } from '../../config/config.js';
import type { RateLimit, RateLimiter } from '../rate-limiter.js';
import type { SessionSurface } from '../session-port.js';
import { sessionCookieName } from './session-cookie.js';

const SESSION_SCHEMES: Readonly<Record<string, SessionSurface>> = {
  clientSession: 'client',
  adminSession: 'admin',
};
const CSRF_SCHEME = 'csrfToken';

/** What a handler answers: a status the contract declares, and its body and extra headers. */
export type HandlerResult = {
  status: number;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
};

/** The session cookie a secured operation reads. */
export interface SessionPlan {
  readonly surface: SessionSurface;
  readonly cookieName: string;
}

/** What the guard works out once per operation at start, so requests only look it up. */
export interface OperationPlan {
  readonly spec: OperationSpec;
  readonly handler: (input: unknown) => Promise<HandlerResult>;
  /** The session cookie when the operation is secured by one. */
  readonly session: SessionPlan | null;
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

function sessionPlan(spec: OperationSpec, production: boolean): SessionPlan | null {
  let surface: SessionSurface | undefined;
  for (const requirement of spec.security)
    for (const scheme of Object.keys(requirement)) surface ??= SESSION_SCHEMES[scheme];
  return surface ? { surface, cookieName: sessionCookieName(surface, production) } : null;
}

/**
 * Plans one served operation: its handler, session cookie, origins, rate limits and the shortcuts
 * its validators allow.
 */
export function planOperation(
  spec: OperationSpec,
  handler: ((input: unknown) => Promise<HandlerResult>) | undefined,
  config: Config,
  rateLimiter: RateLimiter,
): OperationPlan {
  const production = config.env === 'production';
  const surface = spec.surface;
  const rules = spec.guard.rateLimit;
  return {
    spec,
    // tsc already refuses a handler table with a gap; this only guards untyped callers.
    handler:
      handler ??
      (() => {
        throw new Error(`no handler for operation ${spec.operationId}`);
      }),
    session: sessionPlan(spec, production),
    needsCsrfToken: spec.security.some((result) => CSRF_SCHEME in result),
    origins:
      surface === 'site' || surface === 'client' || surface === 'admin'
        ? config.origins[surface]
        : null,
    globalLimit: rules.global ? rateLimiter.rule(`${spec.operationId}|g`, rules.global) : null,
    ipLimit: rules.ip ? rateLimiter.rule(`${spec.operationId}|i`, rules.ip) : null,
    actorLimit: rules.actor ? rateLimiter.rule(`${spec.operationId}|a`, rules.actor) : null,
    ratePolicy: (['ip', 'actor', 'global'] as const)
      .flatMap((key) =>
        rules[key] ? [`"${key}";q=${rules[key].limit};w=${rules[key].windowSeconds}`] : [],
      )
      .join(', '),
    ipQuota: { r: -1, t: -1, text: '' },
    emptyQueryPasses: acceptsEmpty(spec.request.query),
    noHeadersPass: acceptsEmpty(spec.request.headers),
  };
}
