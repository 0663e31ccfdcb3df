/**
 * The realtime half of `npm run mock`: one WebSocket path per AsyncAPI channel address, speaking
 * only from the contract's examples and checking every inbound frame with the generated validator
 * for its `type`, the way WSGuard will.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { errorCatalogue, type ProblemCode } from '../../generated/v1/errors.js';
import type { ValidationError } from '../../generated/v1/validator.js';
import { wsChannels, type WsChannelSpec } from '../../generated/v1/ws-events.js';

export interface WsMockOptions {
  port: number;
  host?: string;
  /** Pause before each reply frame, so a UI shows typing before the reply. Tests use 0. */
  replyDelayMs?: number;
  channels?: Readonly<Record<string, WsChannelSpec>>;
}

export interface WsMock {
  url: string;
  port: number;
  /** `ws://host:port/ws/v1/site` per channel name. */
  channelUrls: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Which outbound messages answer a valid inbound one, in order. A message the table does not name
 * is accepted silently (typing indicators, for instance, have no answer).
 */
const REPLIES: Readonly<Record<string, readonly string[]>> = {
  'chat.visitor_message': ['chat.message_accepted', 'chat.staff_typing', 'chat.staff_reply'],
};

/** Sent on connect only when a client asks for them; an error on connect would alarm a UI. */
const CONNECT_SKIP = new Set(['system.error']);

const MAX_POINTERS = 20;

export async function startWsMock(opts: WsMockOptions): Promise<WsMock> {
  const host = opts.host ?? '127.0.0.1';
  const channels = opts.channels ?? (wsChannels as unknown as Record<string, WsChannelSpec>);
  const byAddress = new Map(
    Object.values(channels).map((wsChannelSpec) => [wsChannelSpec.address, wsChannelSpec]),
  );
  const delay = opts.replyDelayMs ?? 400;

  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'application/json', upgrade: 'websocket' });
    res.end(
      JSON.stringify({
        channels: [...byAddress.keys()],
        hint: 'Open a WebSocket to one of these paths.',
      }),
    );
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const timers = new Set<NodeJS.Timeout>();

  server.on('upgrade', (req, socket, head) => {
    const channel = byAddress.get(new URL(req.url ?? '/', 'http://mock').pathname);
    if (!channel) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, channel));
  });

  function later(fn: () => void, ms: number) {
    const timeout = setTimeout(() => {
      timers.delete(timeout);
      fn();
    }, ms);
    timers.add(timeout);
  }

  function serve(ws: WebSocket, channel: WsChannelSpec) {
    const send = (type: string, payload: unknown, correlationId?: string) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(outboundFrame(channel, type, payload, correlationId)));
    };

    for (const [type, spec] of Object.entries(channel.outbound)) {
      if (CONNECT_SKIP.has(type) || spec.examples.length === 0) continue;
      send(type, freshen(spec.examples[0]));
    }

    ws.on('message', (data, isBinary) => {
      const fail = (
        code: ProblemCode,
        detail: string,
        errors?: { pointer: string; message: string; keyword?: string }[],
        correlationId?: string,
      ) => send('system.error', problem(code, detail, errors), correlationId);

      if (isBinary) {
        return fail('WS.INVALID_FRAME', 'Frames are JSON text, not binary.', [
          { pointer: '', message: 'must be a JSON text frame', keyword: 'type' },
        ]);
      }
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return fail('WS.INVALID_FRAME', 'The frame is not JSON text.', [
          { pointer: '', message: 'must be a JSON text frame', keyword: 'type' },
        ]);
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
        return fail('WS.INVALID_FRAME', 'A frame is a JSON object (the event envelope).', [
          { pointer: '', message: 'must be object', keyword: 'type' },
        ]);
      }
      const envelope = frame as {
        id?: unknown;
        type?: unknown;
        payload?: unknown;
        metadata?: { correlationId?: unknown };
      };
      const correlationId =
        typeof envelope.metadata?.correlationId === 'string'
          ? envelope.metadata.correlationId.slice(0, 128)
          : typeof envelope.id === 'string'
            ? envelope.id.slice(0, 128)
            : undefined;
      if (typeof envelope.type !== 'string') {
        return fail(
          'WS.INVALID_FRAME',
          'The frame has no `type`.',
          [
            {
              pointer: '/type',
              message: "must have required property 'type'",
              keyword: 'required',
            },
          ],
          correlationId,
        );
      }
      const inbound = channel.inbound[envelope.type];
      if (!inbound) {
        return fail(
          'WS.UNKNOWN_EVENT',
          `This channel accepts ${Object.keys(channel.inbound).join(', ')}; not ${envelope.type.slice(0, 64)}.`,
          [
            {
              pointer: '/type',
              message: 'is not a message a client may send on this channel',
              keyword: 'enum',
            },
          ],
          correlationId,
        );
      }
      if (!inbound.validate(frame)) {
        const errors = toFieldErrors(inbound.validate.errors ?? []);
        return fail(
          'WS.INVALID_FRAME',
          `${errors.length} ${errors.length === 1 ? 'field' : 'fields'} failed validation.`,
          errors,
          correlationId,
        );
      }
      const replies = REPLIES[envelope.type] ?? [];
      replies.forEach((type, index) => {
        const example = channel.outbound[type]?.examples[0];
        if (example === undefined) return;
        const emit = () => send(type, echo(freshen(example), envelope.payload), correlationId);
        if (delay === 0) emit();
        else later(emit, delay * (index + 1));
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' ? 'localhost' : host;
  const url = `ws://${shownHost}:${port}`;
  return {
    url,
    port,
    channelUrls: Object.fromEntries(
      Object.entries(channels).map(([name, wsChannelSpec]) => [
        name,
        `${url}${wsChannelSpec.address}`,
      ]),
    ),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const client of wss.clients) client.close(1001, 'mock shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An outbound envelope: fresh `id` and `occurredAt`, the channel's schema version. */
export function outboundFrame(
  channel: WsChannelSpec,
  type: string,
  payload: unknown,
  correlationId?: string,
) {
  const spec = channel.outbound[type];
  if (!spec) throw new Error(`The contract has no outbound message ${type} on ${channel.address}`);
  return {
    id: randomUUID(),
    type,
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
    payload,
    ...(correlationId ? { metadata: { correlationId } } : {}),
  };
}

function problem(
  code: ProblemCode,
  detail: string,
  errors?: { pointer: string; message: string; keyword?: string }[],
) {
  const entry = errorCatalogue[code];
  return {
    type: `/docs/errors#${code}`,
    title: entry.title,
    status: entry.status,
    code,
    detail,
    requestId: `req_mock_${randomUUID()}`,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** ajv reports a missing or extra property at its parent; the pointer names the property itself. */
export function toFieldErrors(
  errors: readonly ValidationError[],
): { pointer: string; message: string; keyword: string }[] {
  const seen = new Set<string>();
  const out: { pointer: string; message: string; keyword: string }[] = [];
  for (const error of errors) {
    const prop =
      error.keyword === 'required'
        ? error.params.missingProperty
        : error.keyword === 'additionalProperties'
          ? error.params.additionalProperty
          : undefined;
    const pointer =
      typeof prop === 'string'
        ? `${error.instancePath}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`
        : error.instancePath;
    const key = `${pointer} ${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      pointer: pointer.slice(0, 1024),
      message: (error.message ?? 'is not valid').slice(0, 1024),
      keyword: error.keyword.slice(0, 64),
    });
    if (out.length >= MAX_POINTERS) break;
  }
  return out;
}

/**
 * The example with its timestamps moved to now, keeping their distances. An expiry
 * (`expiresAt`...) stays as far after the example's other stamps as it was, so a typing indicator
 * still expires a few seconds from now; alone, it gets the typing TTL the chat seed uses (8 s).
 */
export function freshen(example: unknown, now = Date.now()): unknown {
  const isStamp = (key: string, value: unknown): value is string =>
    key.endsWith('At') && typeof value === 'string' && !Number.isNaN(Date.parse(value));
  const isExpiry = (key: string) => /^expires/i.test(key);
  const walk = (value: unknown, field: (key: string, item: unknown) => unknown): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, field));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, field(key, walk(item, field))]),
      );
    return value;
  };
  const stamps: number[] = [];
  walk(example, (key, item) => {
    if (isStamp(key, item) && !isExpiry(key)) stamps.push(Date.parse(item));
    return item;
  });
  const base = stamps.length > 0 ? Math.min(...stamps) : undefined;
  return walk(example, (key, item) => {
    if (!isStamp(key, item)) return item;
    const time = Date.parse(item);
    if (isExpiry(key))
      return new Date(
        now + (base !== undefined ? Math.max(1_000, time - base) : 8_000),
      ).toISOString();
    return new Date(now + (time - (base ?? time))).toISOString();
  });
}

/** Fields the client chose (`clientMessageId`...) come back as sent; server-chosen ids are fresh. */
function echo(payload: unknown, inbound: unknown): unknown {
  if (
    typeof payload !== 'object' ||
    payload === null ||
    typeof inbound !== 'object' ||
    inbound === null
  )
    return payload;
  const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    if (/^client[A-Z]/.test(key) && key in inbound)
      out[key] = (inbound as Record<string, unknown>)[key];
    else if (/Id$/.test(key) && typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value))
      out[key] = randomUUID();
  }
  return out;
}
