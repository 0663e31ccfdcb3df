import { describe, expect, it } from 'vitest';
import { backoffDelay, createWsClient } from '../../frontends/lib/ws-client.js';
import { FakeSocket, setup, welcome, reply, sentFrames } from './support/ws-client-fakes.js';

describe('backoffDelay', () => {
  it('grows exponentially, is capped, and stays within [half, full] of the step', () => {
    const base = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, base, () => 0)).toBe(50);
    expect(backoffDelay(0, base, () => 1)).toBe(100);
    expect(backoffDelay(3, base, () => 0.5)).toBe(600);
    expect(backoffDelay(10, base, () => 1)).toBe(1000);
    for (let amount = 0; amount < 12; amount += 1) {
      const delta = backoffDelay(amount, base);
      const cap = Math.min(1000, 100 * 2 ** amount);
      expect(delta).toBeGreaterThanOrEqual(cap / 2);
      expect(delta).toBeLessThanOrEqual(cap);
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
    expect(sockets[0]!.sent.map((text) => JSON.parse(text))).toEqual([
      {
        id: 'f-1',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c1', body: 'Hello' },
      },
      { id: 'f-2', type: 'chat.visitor_typing', schemaVersion: 1, payload: { isTyping: false } },
    ]);
  });

  it('when a frame arrives, then only handlers of its type run, with the typed payload', () => {
    const { client, sockets } = setup();
    const replies: string[] = [];
    let typing = 0;
    client.on('chat.staff_reply', (outboundFrame) => replies.push(outboundFrame.payload.body));
    client.on('chat.staff_typing', () => (typing += 1));
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive({
      id: 'e1',
      type: 'chat.staff_reply',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { messageId: 'm', body: 'Hi!', sentAt: 'x' },
    });
    sockets[0]!.onmessage?.({ data: 'not json' });
    expect(replies).toEqual(['Hi!']);
    expect(typing).toBe(0);
    expect(client.lastEventId).toBe('e1');
  });

  it('when the site reconnects, then it resumes after the highest seq held, drops replayed duplicates, orders a live message that overtook the replay, and never reports a gap mid-resume', () => {
    const { client, sockets, timers } = setup();
    const seen: number[] = [];
    const gaps: unknown[] = [];
    client.on('chat.staff_reply', (outboundFrame) => seen.push(outboundFrame.payload.seq));
    client.onGap((seqGap) => gaps.push(seqGap));
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive(welcome('g-1', 'conv-1'));
    expect(sentFrames(sockets[0]!).at(-1)).toMatchObject({
      type: 'chat.resume',
      payload: { afterSeq: 0 },
    });
    sockets[0]!.receive({
      type: 'chat.caught_up',
      id: 'cu',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'conv-1', lastSeq: 0 },
    });
    sockets[0]!.receive(reply('conv-1', 1));
    sockets[0]!.receive(reply('conv-1', 2));
    sockets[0]!.drop();
    timers[0]!.fn();
    sockets[1]!.open();
    sockets[1]!.receive(welcome('g-1', 'conv-1', 4));
    expect(sentFrames(sockets[1]!)).toEqual([
      expect.objectContaining({ type: 'chat.resume', payload: { afterSeq: 2 } }),
    ]);
    sockets[1]!.receive(reply('conv-1', 4)); // live, overtook the replay
    sockets[1]!.receive(reply('conv-1', 2)); // replayed duplicate
    sockets[1]!.receive(reply('conv-1', 3));
    sockets[1]!.receive(reply('conv-1', 4)); // replayed again
    sockets[1]!.receive({
      type: 'chat.caught_up',
      id: 'cu2',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'conv-1', lastSeq: 4 },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(gaps).toEqual([]);
    expect(client.seqs()).toEqual({ 'conv-1': 4 });
  });

  it('when a replay skips a seq the channel does not show, then caught_up closes it without a gap', () => {
    const { client, sockets } = setup();
    const seen: number[] = [];
    const gaps: unknown[] = [];
    client.on('chat.staff_reply', (outboundFrame) => seen.push(outboundFrame.payload.seq));
    client.onGap((seqGap) => gaps.push(seqGap));
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive(welcome('g-1', 'conv-1', 3));
    sockets[0]!.receive(reply('conv-1', 1));
    sockets[0]!.receive(reply('conv-1', 3));
    sockets[0]!.receive({
      type: 'chat.caught_up',
      id: 'cu',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'conv-1', lastSeq: 3 },
    });
    expect(seen).toEqual([1, 3]);
    expect(gaps).toEqual([]);
    expect(client.seqs()['conv-1']).toBe(3);
  });

  it('when the welcome names a new guest, then the old seqs are forgotten and the resume starts at 0', () => {
    const { client, sockets, timers } = setup();
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive(welcome('g-1', 'conv-1'));
    sockets[0]!.receive(reply('conv-1', 1));
    sockets[0]!.drop();
    timers[0]!.fn();
    sockets[1]!.open();
    sockets[1]!.receive(welcome('g-2', 'conv-2'));
    expect(sentFrames(sockets[1]!)).toEqual([
      expect.objectContaining({ type: 'chat.resume', payload: { afterSeq: 0 } }),
    ]);
    expect(client.seqs()).toEqual({ 'conv-2': 0 });
    expect(client.guestId).toBe('g-2');
  });

  it("when 130 conversations are held, then a reconnect resumes the last 100 in frames of 20 (the contract's maxItems)", () => {
    FakeSocket.instances = [];
    const seqs = Object.fromEntries(
      Array.from({ length: 130 }, (_, index) => [`c${index}`, index]),
    );
    const client = createWsClient({
      wsBase: 'ws://x',
      channel: 'client',
      WebSocketImpl: FakeSocket,
      setTimer: () => 0,
      seqs,
    });
    client.connect();
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.receive({
      id: 'w',
      type: 'session.welcome',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { actor: { kind: 'user', id: 'u1' }, heartbeatSeconds: 25 },
    });
    const resumes = sentFrames(socket).filter((field) => field.type === 'chat.resume') as {
      payload: { conversations: { conversationId: string; afterSeq: number }[] };
    }[];
    expect(resumes.map((resume) => resume.payload.conversations.length)).toEqual([
      20, 20, 20, 20, 20,
    ]);
    const listed = resumes.flatMap((resume) => resume.payload.conversations);
    expect(listed[0]).toEqual({ conversationId: 'c30', afterSeq: 30 });
    expect(listed.at(-1)).toEqual({ conversationId: 'c129', afterSeq: 129 });
  });

  it('when caught_up says hasMore, then the conversation resumes again from its lastSeq, and a gap is not reported meanwhile', () => {
    FakeSocket.instances = [];
    const client = createWsClient({
      wsBase: 'ws://x',
      channel: 'client',
      WebSocketImpl: FakeSocket,
      setTimer: () => 0,
      seqs: { c1: 0 },
    });
    const gaps: unknown[] = [];
    client.onGap((seqGap) => gaps.push(seqGap));
    client.connect();
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.receive({
      id: 'w',
      type: 'session.welcome',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { actor: { kind: 'user', id: 'u1' }, heartbeatSeconds: 25 },
    });
    const msg = (seq: number) => ({
      id: `m${seq}`,
      type: 'chat.message',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'c1', seq, messageId: `m${seq}` },
    });
    socket.receive(msg(1));
    socket.receive(msg(2));
    socket.receive(msg(5));
    socket.receive({
      id: 'cu',
      type: 'chat.caught_up',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'c1', lastSeq: 2, hasMore: true },
    });
    expect(sentFrames(socket).at(-1)).toMatchObject({
      type: 'chat.resume',
      payload: { conversations: [{ conversationId: 'c1', afterSeq: 2 }] },
    });
    expect(gaps).toEqual([]);
    socket.receive(msg(3));
    socket.receive(msg(4));
    socket.receive({
      id: 'cu2',
      type: 'chat.caught_up',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'c1', lastSeq: 4, hasMore: false },
    });
    expect(client.seqs()).toEqual({ c1: 5 });
    expect(gaps).toEqual([]);
  });

  it('when a live message arrives past a missing seq, then the gap is reported, the later message waits, and both are delivered in order once the gap closes', () => {
    FakeSocket.instances = [];
    const client = createWsClient({
      wsBase: 'ws://x',
      channel: 'client',
      WebSocketImpl: FakeSocket,
      setTimer: () => 0,
      seqs: { c1: 5 },
    });
    const seen: number[] = [];
    const gaps: unknown[] = [];
    client.on('chat.message', (outboundFrame) => seen.push(outboundFrame.payload.seq));
    client.onGap((seqGap) => gaps.push(seqGap));
    client.connect();
    const socket = FakeSocket.instances[0]!;
    socket.open();
    socket.receive({
      id: 'w',
      type: 'session.welcome',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { actor: { kind: 'user', id: 'u1' }, heartbeatSeconds: 25 },
    });
    expect(sentFrames(socket)).toEqual([
      expect.objectContaining({
        type: 'chat.resume',
        payload: { conversations: [{ conversationId: 'c1', afterSeq: 5 }] },
      }),
    ]);
    socket.receive({
      id: 'cu',
      type: 'chat.caught_up',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'c1', lastSeq: 5 },
    });
    const msg = (seq: number) => ({
      id: `m${seq}`,
      type: 'chat.message',
      occurredAt: 'x',
      schemaVersion: 1,
      payload: { conversationId: 'c1', seq, messageId: `m${seq}` },
    });
    socket.receive(msg(7));
    expect(gaps).toEqual([{ conversationId: 'c1', from: 6, to: 6 }]);
    expect(seen).toEqual([]);
    socket.receive(msg(6));
    expect(seen).toEqual([6, 7]);
    socket.receive(msg(9));
    client.setSeq('c1', 8);
    expect(seen).toEqual([6, 7, 9]);
    // A message of a conversation not held before sets its baseline.
    socket.receive({ ...msg(3), payload: { conversationId: 'c2', seq: 3, messageId: 'x' } });
    expect(client.seqs()).toEqual({ c1: 9, c2: 3 });
  });

  it('when the connection drops, then it reconnects with backoff, passes ?guest= from the welcome and resends queued frames', () => {
    const { client, sockets, timers } = setup();
    const states: string[] = [];
    client.onState((text) => states.push(text));
    client.connect();
    sockets[0]!.open();
    sockets[0]!.receive(welcome('g-1', 'conv-1'));
    expect(client.guestId).toBe('g-1');
    sockets[0]!.drop();
    expect(client.state).toBe('reconnecting');
    expect(timers.map((timer) => timer.ms)).toEqual([75]);
    client.send('chat.visitor_message', { clientMessageId: 'c2', body: 'still there?' });
    timers[0]!.fn();
    expect(sockets[1]!.url).toBe('ws://api.test:3000/ws/v1/site?guest=g-1');
    sockets[1]!.drop();
    expect(timers.map((timer) => timer.ms)).toEqual([75, 150]);
    timers[1]!.fn();
    sockets[2]!.open();
    expect(sockets[2]!.sent).toHaveLength(1);
    expect(states).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'open',
    ]);
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
    const client = createWsClient({
      wsBase: 'ws://x',
      channel: 'site',
      WebSocketImpl: FakeSocket,
      maxQueue: 2,
      setTimer: () => 0,
    });
    for (let index = 0; index < 5; index += 1)
      client.send('chat.visitor_typing', { isTyping: index % 2 === 0 });
    expect(client.queued).toBe(2);
  });
});
