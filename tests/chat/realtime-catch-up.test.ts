import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatTestApp, TestUser } from './support/chat-app.js';
import { createRoom, send } from './support/chat-calls.js';
import type { TestConnection } from './support/realtime-double.js';
import { expectOnlyContractFrames, startRealtimeChat } from './support/realtime-suite.js';
import type { OutboundPayload } from '../support/ws-frames.js';

let chatTestApp: ChatTestApp;
let alice: TestUser;
let bob: TestUser;
let lobbyId: string;

beforeAll(async () => {
  ({ chatTestApp, alice, bob, lobbyId } = await startRealtimeChat());
});
afterAll(() => chatTestApp.close());
afterEach(() => expectOnlyContractFrames(chatTestApp));

const ctx = (testConnection: TestConnection) => testConnection.ctx(chatTestApp.log);

describe('catch-up', () => {
  it('when resuming while new messages are sent and relayed, then replay and live frames together hold every seq once after de-duplication, the replay itself is in order without gaps, and caught_up closes it', async () => {
    const cid = (await createRoom(alice, 'Catch-up')).data!.conversationId;
    for (let index = 1; index <= 250; index += 1)
      await chatTestApp.db.query(
        `WITH c AS (UPDATE chat_conversations SET last_seq = last_seq + 1, last_message_at = now() WHERE id = $1 RETURNING last_seq)
       INSERT INTO chat_messages (id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at) SELECT gen_random_uuid(), $1, c.last_seq, 'user', $2, 'Alice', $3, 'seeded', now() FROM c`,
        [cid, alice.id, `seed-${index}-${cid.slice(0, 8)}`],
      );
    const socket = await chatTestApp.a.connect('client', alice);
    await chatTestApp.relay();
    socket.clear();

    const sends = (async () => {
      for (let index = 0; index < 20; index += 1) {
        await send(alice, cid, `live ${index}`);
        await chatTestApp.relay();
      }
    })();
    const resume = chatTestApp.a.ws.client['chat.resume']({
      payload: { conversations: [{ conversationId: cid, afterSeq: 100 }] },
      frameId: 'f',
      correlationId: 'resume-1',
      ctx: ctx(socket),
    });
    await Promise.all([sends, resume]);
    await chatTestApp.relay();

    const replay = socket.frames.filter((frame) => frame.metadata?.correlationId === 'resume-1');
    const caughtUp = replay.at(-1)!;
    expect(caughtUp.type).toBe('chat.caught_up');
    const replayed = replay
      .slice(0, -1)
      .map((recordedFrame) => (recordedFrame.payload as { seq: number }).seq);
    expect(replayed[0]).toBe(101);
    expect(replayed).toEqual(Array.from({ length: replayed.length }, (_, index) => 101 + index));
    expect(caughtUp.payload).toEqual({
      conversationId: cid,
      lastSeq: replayed.at(-1),
      hasMore: false,
    });

    // The client rule: keep the highest seq; drop a seq already held; never skip one.
    const held = new Set<number>();
    for (const frame of socket.frames)
      if (frame.type === 'chat.message') {
        const message = frame.payload as OutboundPayload<'chat.message'>;
        if (message.conversationId === cid) held.add(message.seq);
      }
    expect([...held].sort((left, right) => left - right)).toEqual(
      Array.from({ length: 170 }, (_, index) => 101 + index),
    );
  });

  it('when a resume names a conversation the user is not in, then that one answers system.error with a pointer and the others still catch up', async () => {
    const hidden = (await createRoom(bob, 'Hidden')).data!;
    const socket = await chatTestApp.a.connect('client', alice);
    await chatTestApp.a.ws.client['chat.resume']({
      payload: {
        conversations: [
          { conversationId: hidden.conversationId, afterSeq: 0 },
          { conversationId: lobbyId, afterSeq: 0 },
        ],
      },
      frameId: 'f',
      correlationId: undefined,
      ctx: ctx(socket),
    });
    expect(socket.of('system.error')).toEqual([
      expect.objectContaining({
        code: 'CHAT.CONVERSATION_NOT_FOUND',
        errors: [expect.objectContaining({ pointer: '/payload/conversations/0/conversationId' })],
      }),
    ]);
    expect(socket.of('chat.caught_up')).toEqual([
      expect.objectContaining({ conversationId: lobbyId }),
    ]);
  });
});
