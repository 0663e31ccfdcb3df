import { clientMessageId, type TestUser } from './chat-app.js';

/**
 * The client-surface chat operations the tests repeat, each one call of the user's generated
 * typed client (so `data` and `error` are typed from the contract).
 * @example
 * const { response, data } = await createRoom(owner, 'Thursday crew');
 */
export const createRoom = (testUser: TestUser, title: string) =>
  testUser.api.POST('/api/v1/client/chat/rooms', { body: { title } });

export const invite = (testUser: TestUser, conversationId: string, userId: string) =>
  testUser.api.POST('/api/v1/client/chat/rooms/{conversationId}/invitations', {
    params: { path: { conversationId } },
    body: { userId },
  });

export const accept = (testUser: TestUser, invitationId: string) =>
  testUser.api.POST('/api/v1/client/chat/invitations/{invitationId}/accept', {
    params: { path: { invitationId } },
  });

export const send = (
  testUser: TestUser,
  conversationId: string,
  body: string,
  id = clientMessageId(),
) =>
  testUser.api.POST('/api/v1/client/chat/conversations/{conversationId}/messages', {
    params: { path: { conversationId } },
    body: { clientMessageId: id, body },
  });

export const history = (
  testUser: TestUser,
  conversationId: string,
  query: { limit?: number; beforeSeq?: number; afterSeq?: number } = {},
) =>
  testUser.api.GET('/api/v1/client/chat/conversations/{conversationId}/messages', {
    params: { path: { conversationId }, query },
  });

/** A room `u` owns, with each invitee invited and accepted; its conversation id. */
export async function roomOf(
  testUser: TestUser,
  title: string,
  ...invitees: TestUser[]
): Promise<string> {
  const { conversationId } = (await createRoom(testUser, title)).data!;
  for (const invitee of invitees) {
    const inv = await invite(testUser, conversationId, invitee.id);
    await accept(invitee, inv.data!.invitationId);
  }
  return conversationId;
}
