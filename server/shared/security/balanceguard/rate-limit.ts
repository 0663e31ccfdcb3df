import { Refusal } from '../../errors/app-error.js';
import { readCookie } from '../../http/cookies.js';
import type { RateDecision } from '../rate-limiter.js';
import type { RoutedRequest } from './guard-request.js';

function refusal(
  ctx: RoutedRequest,
  name: string,
  decision: Extract<RateDecision, { ok: false }>,
): Refusal {
  ctx.headers.add('ratelimit-policy', ctx.plan.ratePolicy);
  ctx.headers.add('ratelimit', `"${name}";r=0;t=${decision.retryAfterSeconds}`);
  return new Refusal('REQUEST.RATE_LIMITED', { retryAfterSeconds: decision.retryAfterSeconds });
}

/**
 * Rate limits from the contract: per IP, per actor (keyed by the session cookie before it is
 * resolved, so a flood never reaches the database), then the global one. The client's own limits
 * come first and only a request that passed them counts against the global one, so one address
 * cannot use up a limit everyone shares. The refusal is returned, not thrown, so a flood of 429s
 * runs optimized code (see checkBody).
 *
 * Every answer from here on carries the operation's RateLimit-Policy and, in RateLimit, what is
 * left of the caller's own quotas (the global one's count is not shown unless it refused).
 */
export function rateLimit(ctx: RoutedRequest): Refusal | null {
  const { plan } = ctx;
  const now = ctx.guard.clock.nowMs();
  let quota = '';
  const ip = plan.ipLimit;
  if (ip) {
    const d = ip.consume(ctx.ip, now);
    if (!d.ok) return refusal(ctx, 'ip', d);
    const last = plan.ipQuota;
    if (last.r !== ip.remaining || last.t !== ip.resetSeconds) {
      last.r = ip.remaining;
      last.t = ip.resetSeconds;
      last.text = '"ip";r=' + last.r + ';t=' + last.t;
    }
    quota = last.text;
  }
  const actor = plan.actorLimit;
  if (actor) {
    ctx.sessionToken = plan.session
      ? readCookie(ctx.req.headers.cookie, plan.session.cookieName)
      : undefined;
    const d = actor.consume(ctx.sessionToken ?? ctx.ip, now);
    if (!d.ok) return refusal(ctx, 'actor', d);
    quota +=
      (quota === '' ? '"actor";r=' : ', "actor";r=') + actor.remaining + ';t=' + actor.resetSeconds;
  }
  if (plan.globalLimit) {
    const d = plan.globalLimit.consume('', now);
    if (!d.ok) return refusal(ctx, 'global', d);
  }
  ctx.headers.add('ratelimit-policy', plan.ratePolicy);
  if (quota !== '') ctx.headers.add('ratelimit', quota);
  return null;
}
