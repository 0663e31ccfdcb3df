import { createWsClient, type WebSocketLike } from '../../../frontends/lib/ws-client.js';

/** Stands in for the browser's WebSocket (outside our code): records URLs and sent frames. */
export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

export function setup() {
  FakeSocket.instances = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  let count = 0;
  const client = createWsClient({
    wsBase: 'ws://api.test:3000',
    channel: 'site',
    WebSocketImpl: FakeSocket,
    random: () => 0.5,
    backoff: { baseMs: 100, maxMs: 1000 },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    newId: () => `f-${(count += 1)}`,
  });
  return { client, timers, sockets: FakeSocket.instances };
}

export function welcome(guestId: string, conversationId: string, lastSeq = 0) {
  return {
    id: `w-${guestId}`,
    type: 'session.welcome',
    occurredAt: 'x',
    schemaVersion: 1,
    payload: {
      actor: { kind: 'guest', id: guestId },
      heartbeatSeconds: 25,
      guest: { guestId, conversationId, expiresAt: 'x', lastSeq },
    },
  };
}

export function reply(conversationId: string, seq: number) {
  return {
    id: `e-${seq}`,
    type: 'chat.staff_reply',
    occurredAt: 'x',
    schemaVersion: 1,
    payload: { messageId: `m${seq}`, conversationId, seq, body: `r${seq}`, sentAt: 'x' },
  };
}

export function sentFrames(socket: FakeSocket) {
  return socket.sent.map((text) => JSON.parse(text) as { type: string; payload: unknown });
}
