import { Refusal } from '../../errors/app-error.js';
import { clientNetwork } from '../client-network.js';
import type { RateDecision } from '../rate-limiter.js';
import type { RoutedRequest } from './guard-request.js';

function refusal(
  ctx: RoutedRequest,
  name: string,
  decision: Extract<RateDecision, { ok: false }>,
): Refusal {
  if (name === 'ip') ctx.headers.add('ratelimit-policy', ctx.plan.ratePolicy);
  ctx.headers.set('ratelimit', `"${name}";r=0;t=${decision.retryAfterSeconds}`);
  return new Refusal('REQUEST.RATE_LIMITED', { retryAfterSeconds: decision.retryAfterSeconds });
}

/**
 * Rate limit per IP, from the contract: keyed by the client's network (an IPv4 address, an IPv6
 * /64), before anything reaches the database, so a flood, random session cookies included, stops
 * here. The per-actor and global limits follow the session (actorLimits). The refusal is returned,
 * not thrown, so a flood of 429s runs optimized code (see checkBody).
 *
 * Every answer from here on carries the operation's RateLimit-Policy and, in RateLimit, what is
 * left of the caller's own quotas (the global one's count is not shown unless it refused).
 */
export function rateLimit(ctx: RoutedRequest): Refusal | null {
  const { plan } = ctx;
  const ip = plan.ipLimit;
  if (ip) {
    const data = ip.consume(clientNetwork(ctx.ip), ctx.guard.clock.nowMs());
    if (!data.ok) return refusal(ctx, 'ip', data);
    const last = plan.ipQuota;
    if (last.r !== ip.remaining || last.t !== ip.resetSeconds) {
      last.r = ip.remaining;
      last.t = ip.resetSeconds;
      last.text = '"ip";r=' + last.r + ';t=' + last.t;
    }
    ctx.quota = last.text;
  }
  ctx.headers.add('ratelimit-policy', plan.ratePolicy);
  if (ctx.quota !== '') ctx.headers.add('ratelimit', ctx.quota);
  return null;
}

/**
 * Rate limits per actor and global, once the session is known. The per-actor limit is keyed by the
 * resolved session's id: never by the cookie's text, so a made-up cookie (already refused with 401)
 * opens no bucket, and a session counts once however its cookie is spelled; without a session, by
 * the client's network. Then the global limit: only a request that passed its own limits counts
 * against one everyone shares.
 */
export function actorLimits(ctx: RoutedRequest): Refusal | null {
  const { plan } = ctx;
  const actor = plan.actorLimit;
  const global = plan.globalLimit;
  if (!actor && !global) return null;
  const now = ctx.guard.clock.nowMs();
  if (actor) {
    const data = actor.consume(ctx.session?.sessionId ?? clientNetwork(ctx.ip), now);
    if (!data.ok) return refusal(ctx, 'actor', data);
    ctx.headers.set(
      'ratelimit',
      (ctx.quota === '' ? '"actor";r=' : ctx.quota + ', "actor";r=') +
        actor.remaining +
        ';t=' +
        actor.resetSeconds,
    );
  }
  if (global) {
    const data = global.consume('', now);
    if (!data.ok) return refusal(ctx, 'global', data);
  }
  return null;
}
