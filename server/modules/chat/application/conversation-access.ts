import { isStaff, type ChatActor } from '../domain/chat-actor.js';
import type { ConversationRecord, MemberRole } from '../domain/chat.entity.js';
import { ChatNotAllowed, ConversationNotFound } from '../domain/chat.errors.js';
import type { ChatRepos } from './chat.deps.js';

export interface Access {
  conversation: ConversationRecord;
  /** The caller's role in a room or sub-lobby; null elsewhere. */
  role: MemberRole | null;
}

/**
 * The conversation if the actor may see it, else `ConversationNotFound` (a 404 whether it does not
 * exist or the caller is not in it). The lobby: every signed-in user; visitor conversations: the
 * staff and that guest; rooms and sub-lobbies: their members.
 */
export async function accessConversation(
  repos: Pick<ChatRepos, 'conversations' | 'members'>,
  actor: ChatActor,
  conversationId: string,
  options: { forUpdate?: boolean } = {},
): Promise<Access> {
  const conversation = await repos.conversations.find(conversationId, options);
  if (!conversation) throw new ConversationNotFound();
  switch (conversation.kind) {
    case 'lobby':
      if (actor.kind !== 'user') throw new ConversationNotFound();
      return { conversation, role: null };
    case 'visitor':
      if (actor.kind === 'guest' ? conversation.guestId === actor.guestId : isStaff(actor))
        return { conversation, role: null };
      throw new ConversationNotFound();
    default: {
      if (actor.kind !== 'user') throw new ConversationNotFound();
      const member = await repos.members.find(conversation.id, actor.userId);
      if (!member) throw new ConversationNotFound();
      return { conversation, role: member.role };
    }
  }
}

/** Membership operations exist in rooms and sub-lobbies only; elsewhere they are refused. */
export function memberRoleIn(
  access: Access,
  kinds: readonly ConversationRecord['kind'][] = ['room', 'sub_lobby'],
): MemberRole {
  if (!kinds.includes(access.conversation.kind) || access.role === null)
    throw new ChatNotAllowed(`Not possible in a ${access.conversation.kind} conversation.`);
  return access.role;
}
