import { describe, expect, it } from 'vitest';
import { backoffDelay, createWsClient, type WebSocketLike } from '../../frontends/lib/ws-client.js';

/** Stands in for the browser's WebSocket (outside our code): records URLs and sent frames. */
class FakeSocket implements WebSocketLike {
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

function setup() {
  FakeSocket.instances = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  let n = 0;
  const client = createWsClient({
    wsBase: 'ws://api.test:3000',
    channel: 'site',
    WebSocketImpl: FakeSocket,
    random: () => 0.5,
    backoff: { baseMs: 100, maxMs: 1000 },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    newId: () => `f-${(n += 1)}`,
  });
  return { client, timers, sockets: FakeSocket.instances };
}

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and stays within [half, full] of the step', () => {
    const base = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, base, () => 0)).toBe(50);
    expect(backoffDelay(0, base, () => 1)).toBe(100);
    expect(backoffDelay(3, base, () => 0.5)).toBe(600);
    expect(backoffDelay(10, base, () => 1)).toBe(1000);
    for (let a = 0; a < 12; a += 1) {
      const d = backoffDelay(a, base);
      const cap = Math.min(1000, 100 * 2 ** a);
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThanOrEqual(cap);
    }
  });
});

describe('ws client', () => {
  it('when sending before the socket opens, then frames are queued and flushed in order on open', () => {
    const { client, sockets } = setup();
    client.connect();
    expect(sockets[0]!.url).toBe('ws://api.test:3000/ws/v1/site');
    const id = client.send('chat.visitor_message', { clientMessageId: 'c1', body: 'Hello' });
    client.send('chat.visitor_typing', { isTyping: false });
    expect(id).toBe('f-1');
    expect(client.queued).toBe(2);
    sockets[0]!.open();
    expect(client.queued).toBe(0);
    expect(sockets[0]!.sent.map((s) => JSON.parse(s))).toEqual([
      { id: 'f-1', type: 'chat.visitor_message', schemaVersion: 1, payload: { clientMessageId: 'c1', body: 'Hello' } },
      { id: 'f-2', type: 'chat.visitor_typing', schemaVersion: 1, payload: { isTyping: false } },
    ]);
  });

  it('when a frame arrives, then only handlers of its type run, with the typed payload', () => {
    const { client, sockets } = setup();
    const replies: string[] = [];
    let typing = 0;
    client.on('chat.staff_reply', (f) => replies.push(f.payload.body));
    client.on('chat.staff_typing', () => (typing += 1));
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ id: 'e1', type: 'chat.staff_reply', occurredAt: 'x', schemaVersion: 1, payload: { messageId: 'm', body: 'Hi!', sentAt: 'x' } });
    sockets[0]!.onmessage?.({ data: 'not json' });
    expect(replies).toEqual(['Hi!']);
    expect(typing).toBe(0);
    expect(client.lastEventId).toBe('e1');
  });

  it('when the connection drops, then it reconnects with backoff, passes ?since= and resends queued frames', () => {
    const { client, sockets, timers } = setup();
    const states: string[] = [];
    client.onState((s) => states.push(s));
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ id: 'evt-7', type: 'chat.staff_typing', occurredAt: 'x', schemaVersion: 1, payload: { isTyping: true } });
    sockets[0]!.drop();
    expect(client.state).toBe('reconnecting');
    expect(timers.map((t) => t.ms)).toEqual([75]);
    client.send('chat.visitor_message', { clientMessageId: 'c2', body: 'still there?' });
    timers[0]!.fn();
    expect(sockets[1]!.url).toBe('ws://api.test:3000/ws/v1/site?since=evt-7');
    sockets[1]!.drop();
    expect(timers.map((t) => t.ms)).toEqual([75, 150]);
    timers[1]!.fn();
    sockets[2]!.open();
    expect(sockets[2]!.sent).toHaveLength(1);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'open']);
    // After a successful open the backoff starts again from the first step.
    sockets[2]!.drop();
    expect(timers[2]!.ms).toBe(75);
  });

  it('when closed by the app, then it does not reconnect', () => {
    const { client, sockets, timers } = setup();
    client.connect();
    sockets[0]!.open();
    client.close();
    sockets[0]!.onclose?.({ code: 1000 });
    expect(timers).toHaveLength(0);
    expect(client.state).toBe('closed');
  });

  it('when the queue overflows, then the oldest frames are dropped', () => {
    FakeSocket.instances = [];
    const client = createWsClient({ wsBase: 'ws://x', channel: 'site', WebSocketImpl: FakeSocket, maxQueue: 2, setTimer: () => 0 });
    for (let i = 0; i < 5; i += 1) client.send('chat.visitor_typing', { isTyping: i % 2 === 0 });
    expect(client.queued).toBe(2);
  });
});
