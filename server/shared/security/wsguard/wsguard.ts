import type { IncomingMessage } from 'node:http';
import type { ProblemCode } from '../../../../generated/v1/errors.js';
import { wsChannels, type WsInboundSpec } from '../../../../generated/v1/ws-events.js';
import { schemaInboundEnvelope } from '../../../../generated/v1/validators.standalone.js';
import type { Config } from '../../config/config.js';
import { AppError, type FieldError } from '../../errors/app-error.js';
import { parseJsonBody } from '../../http/body.js';
import { readCookie } from '../../http/cookies.js';
import type { Clock } from '../../time/clock.js';
import { clientIp } from '../balanceguard/client-ip.js';
import { sessionCookieName } from '../balanceguard/session-cookie.js';
import { clientNetwork } from '../client-network.js';
import { createRateLimiter, type RateLimiter } from '../rate-limiter.js';
import type { SessionPort } from '../session-port.js';
import type { WsActor, WsChannel } from './ws-actor.js';
import { pointersOf } from './ws-problem.js';

const CHANNEL_BY_PATH = new Map<string, WsChannel>(
  Object.entries(wsChannels).map(([name, spec]) => [spec.address, name as WsChannel]),
);

/**
 * A user socket's hold on its session: when it runs out, and how to renew it (the session's own
 * token, kept in memory only). Renewing counts as activity, like an HTTP request would.
 */
export interface SessionLease {
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  /** The session again, its idle expiry moved on; null once it has ended. */
  renew(now: Date): Promise<{ idleExpiresAt: Date; absoluteExpiresAt: Date } | null>;
}

export type UpgradeDecision =
  | {
      ok: true;
      channel: WsChannel;
      ip: string;
      actor: Extract<WsActor, { kind: 'user' }> | null;
      lease: SessionLease | null;
      release(): void;
    }
  | { ok: false; code: ProblemCode; detail: string; retryAfterSeconds?: number };

/** What WSGuard needs to know about a connection to judge its frames. */
export interface GuardedConnection {
  readonly channel: WsChannel;
  readonly ip: string;
  readonly actor: WsActor | null;
  /** Per-connection rate windows; created on the first frame so idle sockets stay small. */
  limiter?: RateLimiter;
}

export type FrameDecision =
  | {
      ok: true;
      spec: WsInboundSpec;
      frame: { id: string; type: string; payload: object; metadata?: { correlationId?: string } };
    }
  | {
      ok: false;
      code: ProblemCode;
      detail: string;
      errors?: FieldError[];
      retryAfterSeconds?: number;
      correlationId?: string;
    };

export interface WsGuard {
  /** The upgrade checks, in this fixed order: path, upgrades per address, Origin, session, connection caps. */
  upgrade(req: IncomingMessage): Promise<UpgradeDecision>;
  /** The frame checks, in this fixed order: JSON, envelope and payload schema, authorization, rate limits. */
  frame(conn: GuardedConnection, data: Buffer, isBinary: boolean): FrameDecision;
  /** Open sockets per address and per session (for tests and metrics). */
  counts(): { ips: number; sessions: number };
}

/**
 * WSGuard: the WebSocket counterpart of BalanceGuard, configured from the AsyncAPI contract's
 * channel addresses and `x-wsguard` policies.
 * @example
 * const guard = createWsGuard({ config, clock, sessions: identity.sessions });
 * const d = await guard.upgrade(req); if (!d.ok) refuseUpgrade(socket, wsProblem(d.code), production);
 */
export function createWsGuard(deps: {
  config: Config;
  clock: Clock;
  sessions: SessionPort;
}): WsGuard {
  const { config, clock, sessions } = deps;
  const production = config.env === 'production';
  const perIp = new Map<string, number>();
  const perSession = new Map<string, number>();
  const ipLimiter = createRateLimiter();
  const upgradesPerIp = ipLimiter.rule('upgrade', {
    limit: config.wsUpgradesPerIpPerMinute,
    windowSeconds: 60,
  });

  const inc = (match: Map<string, number>, key: string) =>
    match.set(key, (match.get(key) ?? 0) + 1);
  const dec = (match: Map<string, number>, key: string) => {
    const count = (match.get(key) ?? 1) - 1;
    if (count <= 0) match.delete(key);
    else match.set(key, count);
  };

  return {
    async upgrade(req) {
      // 1. Path: only the contract's channel addresses exist.
      const path = (req.url ?? '/').split('?', 1)[0]!;
      const channel = CHANNEL_BY_PATH.get(path);
      if (!channel)
        return {
          ok: false,
          code: 'REQUEST.NOT_FOUND',
          detail: 'No WebSocket channel at this path.',
        };

      // 2. Upgrades per address, before anything that could reach the database (the session lookup,
      // a guest): a reconnect loop or a flood of random cookies is refused here, for free.
      // Counted per client network: an IPv4 address, or an IPv6 /64.
      const ip = clientIp(req, config.trustedProxies);
      const network = clientNetwork(ip);
      const limited = upgradesPerIp.consume(network, clock.nowMs());
      if (!limited.ok)
        return {
          ok: false,
          code: 'REQUEST.RATE_LIMITED',
          detail: 'Too many connection attempts from this address.',
          retryAfterSeconds: limited.retryAfterSeconds,
        };

      // 3. Exact Origin per channel: a browser always sends one, so a missing Origin is refused too.
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !config.origins[channel].includes(origin)) {
        return {
          ok: false,
          code: 'AUTH.ORIGIN_NOT_ALLOWED',
          detail: 'This Origin may not open this channel.',
        };
      }

      // 4. The surface's own session cookie (client, admin); the site channel is for guests.
      let actor: Extract<WsActor, { kind: 'user' }> | null = null;
      let lease: SessionLease | null = null;
      if (channel !== 'site') {
        const token = readCookie(req.headers.cookie, sessionCookieName(channel, production));
        const session = token ? await sessions.resolve(channel, token, clock.now()) : null;
        if (!token || !session)
          return { ok: false, code: 'AUTH.UNAUTHENTICATED', detail: 'Sign in first.' };
        actor = {
          kind: 'user',
          userId: session.userId,
          role: session.role,
          permissions: session.permissions,
          sessionId: session.sessionId,
          displayName: session.displayName,
        };
        lease = {
          idleExpiresAt: session.idleExpiresAt,
          absoluteExpiresAt: session.absoluteExpiresAt,
          renew: (now) => sessions.resolve(channel, token, now),
        };
      }

      // 5. Connection caps. Checked and taken with no await in between, so racing upgrades cannot overshoot.
      if ((perIp.get(network) ?? 0) >= config.wsMaxConnectionsPerIp) {
        return {
          ok: false,
          code: 'REQUEST.RATE_LIMITED',
          detail: 'Too many open sockets from this address.',
          retryAfterSeconds: 60,
        };
      }
      if (actor && (perSession.get(actor.sessionId) ?? 0) >= config.wsMaxConnectionsPerSession) {
        return {
          ok: false,
          code: 'REQUEST.RATE_LIMITED',
          detail: 'Too many open sockets for this session.',
          retryAfterSeconds: 60,
        };
      }
      inc(perIp, network);
      if (actor) inc(perSession, actor.sessionId);
      let released = false;
      const sessionId = actor?.sessionId;
      return {
        ok: true,
        channel,
        ip,
        actor,
        lease,
        release() {
          if (released) return;
          released = true;
          dec(perIp, network);
          if (sessionId) dec(perSession, sessionId);
        },
      };
    },

    frame(conn, data, isBinary) {
      if (isBinary) return { ok: false, code: 'WS.INVALID_FRAME', detail: 'Frames are JSON text.' };
      let parsed: unknown;
      try {
        parsed = parseJsonBody(data);
      } catch (err) {
        return {
          ok: false,
          code: 'WS.INVALID_FRAME',
          detail:
            err instanceof AppError && err.detail
              ? err.detail.replace('body', 'frame')
              : 'The frame is not valid JSON.',
        };
      }
      const envelope = parsed as {
        id?: unknown;
        type?: unknown;
        metadata?: { correlationId?: unknown };
      } | null;
      const correlationId = correlationOf(envelope);
      const type =
        envelope && typeof envelope === 'object' && !Array.isArray(envelope)
          ? envelope.type
          : undefined;
      const spec =
        typeof type === 'string'
          ? (wsChannels[conn.channel].inbound as Record<string, WsInboundSpec>)[type]
          : undefined;
      if (!spec) {
        if (typeof type === 'string' && schemaInboundEnvelope(parsed)) {
          return {
            ok: false,
            code: 'WS.UNKNOWN_EVENT',
            detail: 'This channel has no inbound message of this type.',
            errors: [
              {
                pointer: '/type',
                message: 'is not an inbound message of this channel',
                keyword: 'enum',
              },
            ],
            ...cid(correlationId),
          };
        }
        schemaInboundEnvelope(parsed);
        const errors = pointersOf(schemaInboundEnvelope.errors);
        return {
          ok: false,
          code: 'WS.INVALID_FRAME',
          detail: 'The frame is not a message envelope.',
          errors: errors.length
            ? errors
            : [{ pointer: '/type', message: 'must be a string', keyword: 'type' }],
          ...cid(correlationId),
        };
      }

      // Envelope and payload together, with the generated validator of this message.
      if (!spec.validate(parsed)) {
        return {
          ok: false,
          code: 'WS.INVALID_FRAME',
          detail: 'The frame breaks the message schema.',
          errors: pointersOf(spec.validate.errors),
          ...cid(correlationId),
        };
      }

      // Authorization per event, from x-wsguard.
      const actor = conn.actor;
      if (spec.guard.auth === 'session' && actor?.kind !== 'user') {
        return {
          ok: false,
          code: 'WS.EVENT_FORBIDDEN',
          detail: 'This message needs a signed-in session.',
          ...cid(correlationId),
        };
      }
      if (spec.guard.auth === 'guest' && actor === null) {
        return {
          ok: false,
          code: 'WS.EVENT_FORBIDDEN',
          detail: 'The connection has no principal yet.',
          ...cid(correlationId),
        };
      }
      const needed = spec.guard.permissions ?? [];
      if (
        needed.length &&
        !(actor?.kind === 'user' && needed.every((path) => actor.permissions.includes(path)))
      ) {
        return {
          ok: false,
          code: 'WS.EVENT_FORBIDDEN',
          detail: 'The actor may not send this message.',
          ...cid(correlationId),
        };
      }

      // Rate limits per connection and per address, from x-wsguard; a limited frame is dropped. A
      // weighted message (`weightedBy`) counts once per item of that list: a resume of 20
      // conversations is 20 replays' work.
      const nowMs = clock.nowMs();
      const rl = spec.guard.rateLimit;
      const cost =
        spec.guard.weightedBy === undefined
          ? 1
          : Math.max(1, itemsAt(parsed, spec.guard.weightedBy));
      if (rl.connection) {
        conn.limiter ??= createRateLimiter({ maxKeys: 64 });
        const dataItem = conn.limiter.consume(spec.type, '', rl.connection, nowMs, cost);
        if (!dataItem.ok)
          return {
            ok: false,
            code: 'WS.RATE_LIMITED',
            detail: 'Too many messages of this type on this connection.',
            retryAfterSeconds: dataItem.retryAfterSeconds,
            ...cid(correlationId),
          };
      }
      if (rl.ip) {
        const dataItem = ipLimiter.consume(
          `${conn.channel}:${spec.type}`,
          clientNetwork(conn.ip),
          rl.ip,
          nowMs,
          cost,
        );
        if (!dataItem.ok)
          return {
            ok: false,
            code: 'WS.RATE_LIMITED',
            detail: 'Too many messages of this type from this address.',
            retryAfterSeconds: dataItem.retryAfterSeconds,
            ...cid(correlationId),
          };
      }
      return {
        ok: true,
        spec,
        frame: parsed as {
          id: string;
          type: string;
          payload: object;
          metadata?: { correlationId?: string };
        },
      };
    },

    counts() {
      return { ips: perIp.size, sessions: perSession.size };
    },
  };
}

/** The length of the array at `pointer` in a validated frame's payload (0 when absent). */
function itemsAt(frame: unknown, pointer: string): number {
  let node = (frame as { payload?: unknown }).payload;
  for (const token of pointer.slice(1).split('/'))
    node =
      node !== null && typeof node === 'object'
        ? (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')]
        : undefined;
  return Array.isArray(node) ? node.length : 0;
}

function correlationOf(
  envelope: { id?: unknown; metadata?: { correlationId?: unknown } } | null,
): string | undefined {
  if (!envelope || typeof envelope !== 'object') return undefined;
  const item =
    envelope.metadata && typeof envelope.metadata === 'object'
      ? envelope.metadata.correlationId
      : undefined;
  if (typeof item === 'string' && item.length <= 128) return item;
  if (typeof envelope.id === 'string' && envelope.id.length <= 64) return envelope.id;
  return undefined;
}

function cid(correlationId: string | undefined): { correlationId?: string } {
  return correlationId === undefined ? {} : { correlationId };
}
