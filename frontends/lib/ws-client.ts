import { wsAddresses, type WsChannels, type WsChannelName, type InboundFrame, type OutboundFrame } from '../../generated/v1/ws-types.js';
import { newId } from './ids.js';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

type Inbound<C extends WsChannelName> = WsChannels[C]['inbound'];
type Outbound<C extends WsChannelName> = WsChannels[C]['outbound'];
export type OutboundHandler<C extends WsChannelName, K extends keyof Outbound<C>> = (
  frame: OutboundFrame<K & string, Outbound<C>[K]>,
) => void;

/** The slice of the browser WebSocket this client uses, so tests can pass a stand-in. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface BackoffOptions {
  /** First retry delay in ms. */
  baseMs: number;
  /** Upper bound of the delay in ms. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay is fixed, the other
 * half random, so a fleet of clients that lost the server together does not return together.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(capped / 2 + random() * (capped / 2));
}

export interface WsClientOptions<C extends WsChannelName> {
  /** ws:// or wss:// origin of the backend. */
  wsBase: string;
  channel: C;
  backoff?: Partial<BackoffOptions>;
  /** Frames kept while disconnected; the oldest are dropped past this. */
  maxQueue?: number;
  WebSocketImpl?: WebSocketConstructor;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  newId?: () => string;
}

export interface WsClient<C extends WsChannelName> {
  readonly state: ConnectionState;
  /** The id of the last frame received; sent as `?since=` on reconnect for catch-up. */
  readonly lastEventId: string | null;
  readonly queued: number;
  connect(): void;
  close(): void;
  /** Sends now when open, else queues; returns the frame id. */
  send<K extends keyof Inbound<C> & string>(type: K, payload: Inbound<C>[K], metadata?: { correlationId?: string }): string;
  on<K extends keyof Outbound<C> & string>(type: K, handler: OutboundHandler<C, K>): () => void;
  onState(listener: (state: ConnectionState, info: { attempt: number; retryInMs?: number }) => void): () => void;
}

const OPEN = 1;

/**
 * A typed WebSocket for one channel of the AsyncAPI contract: typed frames both ways, generated
 * frame ids, reconnect with backoff and jitter, a send queue while disconnected, and catch-up via
 * the last received frame id.
 * @example
 * const chat = createWsClient({ wsBase: backend.wsBase, channel: 'site' });
 * chat.on('chat.staff_reply', (f) => show(f.payload.body));
 * chat.connect();
 * chat.send('chat.visitor_message', { clientMessageId: newId('c'), body: 'Hi' });
 */
export function createWsClient<C extends WsChannelName>(options: WsClientOptions<C>): WsClient<C> {
  const backoff: BackoffOptions = { baseMs: 500, maxMs: 30_000, ...options.backoff };
  const maxQueue = options.maxQueue ?? 100;
  const Impl = options.WebSocketImpl ?? ((globalThis as { WebSocket?: unknown }).WebSocket as WebSocketConstructor | undefined);
  const random = options.random ?? Math.random;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const makeId = options.newId ?? (() => newId('f'));

  let state: ConnectionState = 'idle';
  let socket: WebSocketLike | null = null;
  let attempt = 0;
  let timer: unknown = null;
  let lastEventId: string | null = null;
  let wanted = false;
  const queue: string[] = [];
  const handlers = new Map<string, Set<(frame: never) => void>>();
  const stateListeners = new Set<(s: ConnectionState, info: { attempt: number; retryInMs?: number }) => void>();

  function setState(next: ConnectionState, retryInMs?: number): void {
    state = next;
    for (const l of stateListeners) l(next, retryInMs === undefined ? { attempt } : { attempt, retryInMs });
  }

  function url(): string {
    const u = new URL(wsAddresses[options.channel], options.wsBase);
    if (lastEventId) u.searchParams.set('since', lastEventId);
    return u.toString();
  }

  function open(): void {
    if (!Impl) throw new Error('WebSocket is not available in this environment');
    setState(attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new Impl(url());
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setState('open');
      while (queue.length > 0 && ws.readyState === OPEN) ws.send(queue.shift()!);
    };
    ws.onmessage = (ev) => {
      if (socket !== ws || typeof ev.data !== 'string') return;
      let frame: { id?: unknown; type?: unknown };
      try {
        frame = JSON.parse(ev.data) as { id?: unknown; type?: unknown };
      } catch {
        return;
      }
      if (typeof frame.type !== 'string') return;
      if (typeof frame.id === 'string') lastEventId = frame.id;
      for (const h of handlers.get(frame.type) ?? []) h(frame as never);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (!wanted) {
        setState('closed');
        return;
      }
      scheduleReconnect();
    };
    ws.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
  }

  function scheduleReconnect(): void {
    const delay = backoffDelay(attempt, backoff, random);
    attempt += 1;
    setState('reconnecting', delay);
    timer = setTimer(() => {
      timer = null;
      if (wanted) open();
    }, delay);
  }

  return {
    get state() {
      return state;
    },
    get lastEventId() {
      return lastEventId;
    },
    get queued() {
      return queue.length;
    },
    connect() {
      if (wanted && socket) return;
      wanted = true;
      attempt = 0;
      open();
    },
    close() {
      wanted = false;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const ws = socket;
      socket = null;
      ws?.close(1000, 'client closed');
      setState('closed');
    },
    send(type, payload, metadata) {
      const id = makeId();
      const frame: InboundFrame<string, unknown> = { id, type, schemaVersion: 1, payload, ...(metadata ? { metadata } : {}) };
      const text = JSON.stringify(frame);
      if (socket && socket.readyState === OPEN) socket.send(text);
      else {
        queue.push(text);
        while (queue.length > maxQueue) queue.shift();
      }
      return id;
    },
    on(type, handler) {
      let set = handlers.get(type);
      if (!set) handlers.set(type, (set = new Set()));
      set.add(handler as (frame: never) => void);
      return () => set.delete(handler as (frame: never) => void);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
  };
}
