import type { SurfaceName } from '../../config/config.js';
import { serializeSessionCookie } from '../../http/cookies.js';
import type { Actor, RequestContext, SessionInfo } from '../../http/request-context.js';
import type { Logger } from '../../logging/logger.js';
import type { SessionSurface } from '../session-port.js';
import type { RoutedRequest } from './guard-request.js';
import { sessionCookieName } from './session-cookie.js';

/**
 * The request context handed to handlers: a view of the guard's request. Methods live on the
 * prototype, the logger is made on first use.
 */
export class HandlerContext implements RequestContext {
  private child: Logger | undefined;
  private at: Date | undefined;
  constructor(private readonly ctx: RoutedRequest) {}
  /** The request's time, read from the clock once, when first asked. */
  get now(): Date {
    return (this.at ??= this.ctx.guard.clock.now());
  }
  get requestId(): string {
    return this.ctx.requestId;
  }
  get operationId(): string {
    return this.ctx.plan.spec.operationId;
  }
  get surface(): SurfaceName {
    return this.ctx.plan.spec.surface;
  }
  get ip(): string {
    return this.ctx.ip;
  }
  get userAgent(): string | undefined {
    return this.ctx.req.headers['user-agent'];
  }
  get actor(): Actor | null {
    return this.ctx.actor;
  }
  get session(): SessionInfo | null {
    return this.ctx.session;
  }
  get log(): Logger {
    return (this.child ??= this.ctx.guard.log.child({
      requestId: this.ctx.requestId,
      operationId: this.ctx.plan.spec.operationId,
    }));
  }
  private cookieSurface(): SessionSurface {
    const { plan } = this.ctx;
    const surface =
      plan.session?.surface ??
      (plan.spec.surface === 'client' || plan.spec.surface === 'admin'
        ? plan.spec.surface
        : undefined);
    if (!surface) throw new Error(`operation ${plan.spec.operationId} is not on a session surface`);
    return surface;
  }
  setSessionCookie(token: string, maxAgeSeconds: number): void {
    const { production } = this.ctx.guard;
    this.ctx.setCookie = serializeSessionCookie(
      sessionCookieName(this.cookieSurface(), production),
      token,
      { maxAgeSeconds, secure: production },
    );
  }
  clearSessionCookie(): void {
    const { production } = this.ctx.guard;
    this.ctx.setCookie = serializeSessionCookie(
      sessionCookieName(this.cookieSurface(), production),
      '',
      { maxAgeSeconds: 0, secure: production },
    );
  }
}
