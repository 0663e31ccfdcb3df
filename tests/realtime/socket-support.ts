import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import type { components } from '../../generated/v1/types.js';
import type { OutboundFrame } from '../../generated/v1/ws-types.js';
import { ORIGINS } from '../support/app.js';
import { waitFor } from '../support/wait.js';
import type { OutboundPayload, OutboundType } from '../support/ws-frames.js';

type Problem = components['schemas']['Problem'];

/** A frame as received; `Client.next(type)` gives it the generated payload type of `type`. */
export interface ReceivedFrame {
  id: string;
  type: string;
  occurredAt: string;
  schemaVersion: number;
  payload: unknown;
  metadata?: { correlationId?: string };
}

/** A received frame of one outbound type, with that type's generated payload. */
export type FrameOf<Type extends OutboundType> = OutboundFrame<Type, OutboundPayload<Type>>;

/** The frames of one outbound type a client has received so far, typed by its generated payload. */
export function framesOf<Type extends OutboundType>(
  client: { frames: ReceivedFrame[] },
  type: Type,
): FrameOf<Type>[] {
  // Each frame's type names its payload; the server validates outbound frames against the contract.
  return client.frames.filter((frame) => frame.type === type) as FrameOf<Type>[];
}

/** A test client that keeps every frame it receives. */
export interface Client {
  ws: WebSocket;
  frames: ReceivedFrame[];
  closed: Promise<{ code: number; reason: string }>;
  /** Pings received: each is a server heartbeat that found this socket alive and kept it. */
  readonly pings: number;
  /** The next frame of `type` not taken before, typed by the generated payload of `type`. */
  next<Type extends OutboundType>(type: Type, timeoutMs?: number): Promise<FrameOf<Type>>;
  /** The next frame not taken before. */
  next(): Promise<ReceivedFrame>;
  send(frame: unknown): void;
}

export function connect(
  url: string,
  path: string,
  headers: Record<string, string>,
  query = '',
  options: { localAddress?: string } = {},
): Promise<Client> {
  const ws = new WebSocket(`${url}${path}${query}`, {
    headers,
    perMessageDeflate: false,
    ...options,
  });
  const frames: ReceivedFrame[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const waiter of waiters.splice(0)) waiter();
  });
  let pings = 0;
  ws.on('ping', () => (pings += 1));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => undefined);
  const client: Client = {
    ws,
    frames,
    closed,
    get pings() {
      return pings;
    },
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: ((type?: string, timeoutMs = 3_000) =>
      new Promise<ReceivedFrame>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${type ?? 'frame'} within ${timeoutMs} ms; got ${JSON.stringify(frames.map((frame) => frame.type))}`,
              ),
            ),
          timeoutMs,
        );
        const look = () => {
          for (let index = taken; index < frames.length; index++) {
            if (!type || frames[index]!.type === type) {
              taken = index + 1;
              clearTimeout(timer);
              resolve(frames[index]!);
              return;
            }
          }
          waiters.push(look);
        };
        look();
      })) as Client['next'],
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) =>
      reject(
        Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }),
      ),
    );
    ws.once('error', reject);
  });
}

/** Opens a socket and waits for the server's welcome frame. */
export async function connectReady(
  url: string,
  channel: 'site' | 'client' | 'admin',
  cookie?: string,
  query = '',
): Promise<Client> {
  const client = await connect(
    url,
    `/ws/v1/${channel}`,
    { origin: ORIGINS[channel], ...(cookie ? { cookie } : {}) },
    query,
  );
  await client.next('session.welcome');
  return client;
}

/** The HTTP status, headers and body of a refused upgrade (no 101); `localAddress` picks the client's address. */
export function refusedUpgrade(
  url: string,
  path: string,
  headers: Record<string, string>,
  options: { localAddress?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Problem | null }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${path}`, { headers, perMessageDeflate: false, ...options });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted (101)'));
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (code: Buffer) => (text += code.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? (JSON.parse(text) as Problem) : null,
        }),
      );
    });
    ws.on('error', () => undefined);
  });
}

let countItem = 0;
/** An inbound envelope. */
export function frame(type: string, payload: unknown, extra: Record<string, unknown> = {}) {
  countItem += 1;
  return {
    id: `f-${countItem}-${randomUUID().slice(0, 8)}`,
    type,
    schemaVersion: 1,
    payload,
    ...extra,
  };
}

/** Resolves as soon as `check` holds (see `waitFor`); fails after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  stepMs = 10,
): Promise<void> {
  await waitFor(check, { timeoutMs, stepMs });
}
