import {
  wsAddresses,
  type WsChannels,
  type WsChannelName,
  type InboundFrame,
  type OutboundFrame,
} from '../../generated/v1/ws-types.js';
import { newId } from './ids.js';
import { SeqOrder, type SeqGap } from './ws-seq.js';

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
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
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

export type { SeqGap } from './ws-seq.js';

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
  send<K extends keyof Inbound<C> & string>(
    type: K,
    payload: Inbound<C>[K],
    metadata?: { correlationId?: string },
  ): string;
  on<K extends keyof Outbound<C> & string>(type: K, handler: OutboundHandler<C, K>): () => void;
  onState(
    listener: (state: ConnectionState, info: { attempt: number; retryInMs?: number }) => void,
  ): () => void;
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
  return new ChannelClient(options);
}

type StateListener = (text: ConnectionState, info: { attempt: number; retryInMs?: number }) => void;

/** The connection, the send queue and reconnecting; the seq rule lives in SeqOrder. */
class ChannelClient<C extends WsChannelName> implements WsClient<C> {
  private readonly backoff: BackoffOptions;
  private readonly maxQueue: number;
  private readonly Impl: WebSocketConstructor | undefined;
  private readonly random: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly makeId: () => string;
  private readonly order: SeqOrder;
  private readonly queue: string[] = [];
  private readonly handlers = new Map<string, Set<(frame: never) => void>>();
  private readonly stateListeners = new Set<StateListener>();
  private currentState: ConnectionState = 'idle';
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private lastFrameId: string | null = null;
  private guest: string | null;
  private wanted = false;

  constructor(private readonly options: WsClientOptions<C>) {
    this.backoff = { baseMs: 500, maxMs: 30_000, ...options.backoff };
    this.maxQueue = options.maxQueue ?? 100;
    this.Impl =
      options.WebSocketImpl ??
      ((globalThis as { WebSocket?: unknown }).WebSocket as WebSocketConstructor | undefined);
    this.random = options.random ?? Math.random;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.makeId = options.newId ?? (() => newId('f'));
    this.guest = options.guestId ?? null;
    this.order = new SeqOrder(options.seqs ?? {}, (type, frame) => this.dispatch(type, frame));
  }

  get state(): ConnectionState {
    return this.currentState;
  }
  get lastEventId(): string | null {
    return this.lastFrameId;
  }
  get queued(): number {
    return this.queue.length;
  }
  get guestId(): string | null {
    return this.guest;
  }

  seqs(): Record<string, number> {
    return this.order.seqs();
  }
  setSeq(conversationId: string, seq: number): void {
    this.order.setSeq(conversationId, seq);
  }
  onGap(listener: (gap: SeqGap) => void): () => void {
    return this.order.onGap(listener);
  }

  connect(): void {
    if (this.wanted && this.socket) return;
    this.wanted = true;
    this.attempt = 0;
    this.open();
  }

  close(): void {
    this.wanted = false;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const ws = this.socket;
    this.socket = null;
    ws?.close(1000, 'client closed');
    this.setState('closed');
  }

  send<K extends keyof Inbound<C> & string>(
    type: K,
    payload: Inbound<C>[K],
    metadata?: { correlationId?: string },
  ): string {
    return this.sendFrame(type, payload, metadata);
  }

  on<K extends keyof Outbound<C> & string>(type: K, handler: OutboundHandler<C, K>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler as (frame: never) => void);
    return () => set.delete(handler as (frame: never) => void);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(next: ConnectionState, retryInMs?: number): void {
    this.currentState = next;
    const attempt = this.attempt;
    for (const stateListener of this.stateListeners)
      stateListener(next, retryInMs === undefined ? { attempt } : { attempt, retryInMs });
  }

  private url(): string {
    const uRL = new URL(wsAddresses[this.options.channel], this.options.wsBase);
    if (this.options.channel === 'site' && this.guest) uRL.searchParams.set('guest', this.guest);
    return uRL.toString();
  }

  private open(): void {
    if (!this.Impl) throw new Error('WebSocket is not available in this environment');
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new this.Impl(this.url());
    this.socket = ws;
    ws.onopen = () => {
      if (this.socket !== ws) return;
      this.attempt = 0;
      this.setState('open');
      while (this.queue.length > 0 && ws.readyState === OPEN) ws.send(this.queue.shift()!);
    };
    ws.onmessage = (ev) => {
      if (this.socket === ws) this.read(ev.data);
    };
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (!this.wanted) {
        this.setState('closed');
        return;
      }
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      // A close event always follows; reconnecting is decided there.
    };
  }

  private read(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: { id?: unknown; type?: unknown };
    try {
      frame = JSON.parse(data) as { id?: unknown; type?: unknown };
    } catch {
      return;
    }
    if (typeof frame.type !== 'string') return;
    if (typeof frame.id === 'string') this.lastFrameId = frame.id;
    this.receive(frame.type, frame as { type: string; payload?: unknown });
  }

  private dispatch(type: string, frame: unknown): void {
    for (const handle of this.handlers.get(type) ?? []) handle(frame as never);
  }

  private sendFrame(type: string, payload: unknown, metadata?: { correlationId?: string }): string {
    const id = this.makeId();
    const frame: InboundFrame<string, unknown> = {
      id,
      type,
      schemaVersion: 1,
      payload,
      ...(metadata ? { metadata } : {}),
    };
    const text = JSON.stringify(frame);
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(text);
    else {
      this.queue.push(text);
      while (this.queue.length > this.maxQueue) this.queue.shift();
    }
    return id;
  }

  private receive(type: string, frame: { type: string; payload?: unknown }): void {
    const part = (frame.payload ?? {}) as {
      conversationId?: unknown;
      seq?: unknown;
      lastSeq?: unknown;
      guest?: { guestId?: unknown; conversationId?: unknown };
    };
    if (type === 'session.welcome') {
      this.dispatch(type, frame);
      this.onWelcome(part.guest);
      return;
    }
    if (
      type === 'chat.caught_up' &&
      typeof part.conversationId === 'string' &&
      typeof part.lastSeq === 'number'
    ) {
      // The resume stopped at its message cap: the conversation resumes again from where it stopped.
      const more = (part as { hasMore?: unknown }).hasMore === true;
      this.order.caughtUp(part.conversationId, part.lastSeq, more);
      if (more) this.resumeAgain(part.conversationId);
      this.dispatch(type, frame);
      return;
    }
    const isMessage =
      type === 'chat.message' || type === 'chat.own_message' || type === 'chat.staff_reply';
    if (!isMessage || typeof part.conversationId !== 'string' || typeof part.seq !== 'number') {
      this.dispatch(type, frame);
      return;
    }
    this.order.message(type, frame, part.conversationId, part.seq);
  }

  private onWelcome(guest: { guestId?: unknown; conversationId?: unknown } | undefined): void {
    if (this.options.channel === 'site') {
      if (!guest || typeof guest.guestId !== 'string' || typeof guest.conversationId !== 'string')
        return;
      // A new guest (first visit, or the old one expired): its conversation starts empty.
      const afterSeq = this.order.resumeGuest(guest.conversationId, guest.guestId !== this.guest);
      this.guest = guest.guestId;
      this.sendFrame('chat.resume', { afterSeq });
      return;
    }
    const conversations = this.order.resumeAll(RESUME_MOST) ?? [];
    for (let index = 0; index < conversations.length; index += RESUME_BATCH)
      this.sendFrame('chat.resume', {
        conversations: conversations.slice(index, index + RESUME_BATCH),
      });
  }

  private resumeAgain(conversationId: string): void {
    const afterSeq = this.order.afterSeq(conversationId);
    if (this.options.channel === 'site') this.sendFrame('chat.resume', { afterSeq });
    else this.sendFrame('chat.resume', { conversations: [{ conversationId, afterSeq }] });
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.setState('reconnecting', delay);
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (this.wanted) this.open();
    }, delay);
  }
}
