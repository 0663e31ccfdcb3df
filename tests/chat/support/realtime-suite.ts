import { expect } from 'vitest';
import { startChatTestApp, type ChatTestApp, type TestUser } from './chat-app.js';

/** Two chat instances, clients Alice and Bob, staff Grace, and Alice's lobby. */
export async function startRealtimeChat(): Promise<{
  chatTestApp: ChatTestApp;
  alice: TestUser;
  bob: TestUser;
  staff: TestUser;
  lobbyId: string;
}> {
  const chatTestApp = await startChatTestApp();
  const [alice, bob, staff] = await Promise.all([
    chatTestApp.user('client', 'Alice'),
    chatTestApp.user('client', 'Bob'),
    chatTestApp.user('staff', 'Grace'),
  ]);
  const lobbyId = (await alice.api.GET('/api/v1/client/chat/conversations')).data!.items[0]!
    .conversationId;
  return { chatTestApp, alice, bob, staff, lobbyId };
}

/** Every frame any socket received matched the channel's generated outbound schema. */
export function expectOnlyContractFrames(chatTestApp: ChatTestApp): void {
  expect(chatTestApp.a.realtime.invalid).toEqual([]);
  expect(chatTestApp.b.realtime.invalid).toEqual([]);
}
