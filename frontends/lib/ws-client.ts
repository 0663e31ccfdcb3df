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
  /** Site: a guest id kept from an earlier page (sent as `?guest=`) to resume that guest. */
  guestId?: string;
  /** The last seq already held per conversation (e.g. restored from storage); resumed after the welcome. */
  seqs?: Readonly<Record<string, number>>;
}

/** Missing seqs in a conversation: `from`..`to` inclusive were not received before a later one. */
export interface SeqGap {
  conversationId: string;
  from: number;
  to: number;
}

export interface WsClient<C extends WsChannelName> {
  readonly state: ConnectionState;
  /** The id of the last frame received (diagnostics; catch-up goes by seq, see `seqs`). */
  readonly lastEventId: string | null;
  /** Site: the guest this socket speaks as (from `session.welcome`), sent as `?guest=` on reconnect. */
  readonly guestId: string | null;
  /** The highest seq held without a gap, per conversation. */
  seqs(): Record<string, number>;
  /** Records that the app holds messages up to `seq` (e.g. fetched over HTTP after a gap). */
  setSeq(conversationId: string, seq: number): void;
  /** Called when a live message arrives past a missing seq; fetch `from`..`to` over HTTP (`afterSeq`). */
  onGap(listener: (gap: SeqGap) => void): () => void;
  readonly queued: number;
  connect(): void;
  close(): void;
  /** Sends now when open, else queues; returns the frame id. */
  send<K extends keyof Inbound<C> & string>(type: K, payload: Inbound<C>[K], metadata?: { correlationId?: string }): string;
  on<K extends keyof Outbound<C> & string>(type: K, handler: OutboundHandler<C, K>): () => void;
  onState(listener: (state: ConnectionState, info: { attempt: number; retryInMs?: number }) => void): () => void;
}

const OPEN = 1;
/** Conversations one `chat.resume` may list (the contract's maxItems). */
const RESUME_BATCH = 20;
/** Conversations a reconnect resumes; each counts against the resume rate limit (100 a minute). */
const RESUME_MOST = 100;

/**
 * A typed WebSocket for one channel of the AsyncAPI contract: typed frames both ways, generated
 * frame ids, reconnect with backoff and jitter, a send queue while disconnected, and catch-up by
 * per-conversation seq.
 *
 * Catch-up rule. Every stored message carries `seq`, gapless per conversation. The client keeps the
 * highest seq it holds without a gap. After each `session.welcome` it sends `chat.resume` with those
 * seqs (site: `{ afterSeq }` for the guest's conversation; client/admin: `{ conversations }`); the
 * server replays everything after them in order, then `chat.caught_up` per conversation. The socket
 * is subscribed before the replay starts, so a message sent meanwhile can arrive live AND in the
 * replay, in either order. Hence: a message whose seq is at or below the held seq is a duplicate
 * and is dropped; one above held+1 is buffered until the missing seqs arrive, and handlers always
 * see messages in seq order. While a conversation resumes, buffering is silent; `chat.caught_up`
 * moves the held seq to its `lastSeq` (a seq the replay skipped, such as a message deleted before
 * the site saw it, is not a gap). Outside a resume, a live message past a missing seq is reported
 * through `onGap` (fetch the range over HTTP with `afterSeq`, then `setSeq`) and is delivered
 * once the gap closes.
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
  let guestId: string | null = options.guestId ?? null;
  let wanted = false;
  /** Highest seq held without a gap, per conversation. */
  const held = new Map<string, number>(Object.entries(options.seqs ?? {}));
  /** Messages above a gap, per conversation, by seq. */
  const buffered = new Map<string, Map<number, { type: string; frame: unknown }>>();
  /** Conversations between `chat.resume` and their `chat.caught_up`. */
  const resuming = new Set<string>();
  const gapListeners = new Set<(gap: SeqGap) => void>();
  const queue: string[] = [];
  const handlers = new Map<string, Set<(frame: never) => void>>();
  const stateListeners = new Set<(s: ConnectionState, info: { attempt: number; retryInMs?: number }) => void>();

  function setState(next: ConnectionState, retryInMs?: number): void {
    state = next;
    for (const l of stateListeners) l(next, retryInMs === undefined ? { attempt } : { attempt, retryInMs });
  }

  function url(): string {
    const u = new URL(wsAddresses[options.channel], options.wsBase);
    if (options.channel === 'site' && guestId) u.searchParams.set('guest', guestId);
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
      receive(frame.type, frame as { type: string; payload?: unknown });
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

  function dispatch(type: string, frame: unknown): void {
    for (const h of handlers.get(type) ?? []) h(frame as never);
  }

  function send(type: string, payload: unknown, metadata?: { correlationId?: string }): string {
    const id = makeId();
    const frame: InboundFrame<string, unknown> = { id, type, schemaVersion: 1, payload, ...(metadata ? { metadata } : {}) };
    const text = JSON.stringify(frame);
    if (socket && socket.readyState === OPEN) socket.send(text);
    else {
      queue.push(text);
      while (queue.length > maxQueue) queue.shift();
    }
    return id;
  }

  /** Delivers buffered messages that now follow the held seq without a gap. */
  function flush(conversationId: string): void {
    const waiting = buffered.get(conversationId);
    if (!waiting) return;
    for (let next = (held.get(conversationId) ?? 0) + 1; waiting.has(next); next += 1) {
      const item = waiting.get(next)!;
      waiting.delete(next);
      held.set(conversationId, next);
      dispatch(item.type, item.frame);
    }
    for (const seq of waiting.keys()) if (seq <= (held.get(conversationId) ?? 0)) waiting.delete(seq);
    if (waiting.size === 0) buffered.delete(conversationId);
  }

  function receive(type: string, frame: { type: string; payload?: unknown }): void {
    const p = (frame.payload ?? {}) as { conversationId?: unknown; seq?: unknown; lastSeq?: unknown; guest?: { guestId?: unknown; conversationId?: unknown } };
    if (type === 'session.welcome') {
      dispatch(type, frame);
      onWelcome(p.guest);
      return;
    }
    if (type === 'chat.caught_up' && typeof p.conversationId === 'string' && typeof p.lastSeq === 'number') {
      const id = p.conversationId;
      // The resume stopped at its message cap: the conversation resumes again from where it stopped.
      const more = (p as { hasMore?: unknown }).hasMore === true;
      if (!more) resuming.delete(id);
      if (p.lastSeq > (held.get(id) ?? 0)) {
        // Seqs the replay did not send (not visible on this channel) are not gaps.
        const waiting = buffered.get(id);
        for (let s = (held.get(id) ?? 0) + 1; s <= p.lastSeq; s += 1) {
          const item = waiting?.get(s);
          if (item) {
            waiting!.delete(s);
            dispatch(item.type, item.frame);
          }
        }
        held.set(id, p.lastSeq);
      }
      flush(id);
      if (more) resumeAgain(id);
      else reportGap(id);
      dispatch(type, frame);
      return;
    }
    const isMessage = type === 'chat.message' || type === 'chat.own_message' || type === 'chat.staff_reply';
    if (!isMessage || typeof p.conversationId !== 'string' || typeof p.seq !== 'number') {
      dispatch(type, frame);
      return;
    }
    const id = p.conversationId;
    const seq = p.seq;
    const last = held.get(id);
    if (last === undefined && !resuming.has(id)) {
      // The first message seen in a conversation sets its baseline.
      held.set(id, seq);
      dispatch(type, frame);
      return;
    }
    if (seq <= (last ?? 0)) return;
    if (seq === (last ?? 0) + 1) {
      held.set(id, seq);
      dispatch(type, frame);
      flush(id);
      return;
    }
    let waiting = buffered.get(id);
    if (!waiting) buffered.set(id, (waiting = new Map()));
    waiting.set(seq, { type, frame });
    if (!resuming.has(id)) reportGap(id);
  }

  function reportGap(conversationId: string): void {
    const waiting = buffered.get(conversationId);
    if (!waiting || waiting.size === 0) return;
    const from = (held.get(conversationId) ?? 0) + 1;
    const to = Math.min(...waiting.keys()) - 1;
    if (to >= from) for (const l of gapListeners) l({ conversationId, from, to });
  }

  function onWelcome(guest: { guestId?: unknown; conversationId?: unknown } | undefined): void {
    if (options.channel === 'site') {
      if (!guest || typeof guest.guestId !== 'string' || typeof guest.conversationId !== 'string') return;
      if (guest.guestId !== guestId) {
        // A new guest (first visit, or the old one expired): its conversation starts empty.
        held.clear();
        buffered.clear();
      }
      guestId = guest.guestId;
      const afterSeq = held.get(guest.conversationId) ?? 0;
      resuming.clear();
      resuming.add(guest.conversationId);
      if (!held.has(guest.conversationId)) held.set(guest.conversationId, 0);
      send('chat.resume', { afterSeq });
      return;
    }
    if (held.size === 0) return;
    // The last RESUME_MOST conversations it started holding; any other catches up through a gap
    // when its next message arrives. A resume lists at most RESUME_BATCH (the contract's maxItems).
    const conversations = [...held].slice(-RESUME_MOST).map(([conversationId, afterSeq]) => ({ conversationId, afterSeq }));
    resuming.clear();
    for (const c of conversations) resuming.add(c.conversationId);
    for (let i = 0; i < conversations.length; i += RESUME_BATCH) send('chat.resume', { conversations: conversations.slice(i, i + RESUME_BATCH) });
  }

  function resumeAgain(conversationId: string): void {
    const afterSeq = held.get(conversationId) ?? 0;
    if (options.channel === 'site') send('chat.resume', { afterSeq });
    else send('chat.resume', { conversations: [{ conversationId, afterSeq }] });
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
    get guestId() {
      return guestId;
    },
    seqs() {
      return Object.fromEntries(held);
    },
    setSeq(conversationId, seq) {
      if (seq > (held.get(conversationId) ?? 0)) held.set(conversationId, seq);
      flush(conversationId);
    },
    onGap(listener) {
      gapListeners.add(listener);
      return () => gapListeners.delete(listener);
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
      return send(type, payload, metadata);
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
