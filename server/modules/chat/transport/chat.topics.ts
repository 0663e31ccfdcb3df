import type { ConversationRoute } from '../domain/chat.events.js';

/** Realtime topic names (see `server/shared/realtime/realtime.port.ts`). */
export const topics = {
  conversation: (id: string) => `conversation:${id}`,
  user: (id: string) => `user:${id}`,
  guest: (id: string) => `guest:${id}`,
  staff: 'staff',
} as const;

/** Where a conversation's member frames go: visitor conversations reach every staff socket. */
export function membersTopic(route: ConversationRoute, conversationId: string): string {
  return route.conversationKind === 'visitor' ? topics.staff : topics.conversation(conversationId);
}
