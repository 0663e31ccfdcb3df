import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { Logger } from '../../../shared/logging/logger.js';
import type { ConversationRepository } from './conversation.repository.port.js';
import type { GuestRepository } from './guest.repository.port.js';
import type { InvitationRepository } from './invitation.repository.port.js';
import type { MemberRepository } from './member.repository.port.js';
import type { MessageRepository } from './message.repository.port.js';
import type { ModerationRepository } from './moderation.repository.port.js';
import type { PresenceRepository } from './presence.repository.port.js';
import type { ReceiptRepository } from './receipt.repository.port.js';
import type { UserDirectory } from './user-directory.port.js';

/** The repositories a transaction (or a read) of chat sees, one per aggregate. */
export interface ChatRepos {
  conversations: ConversationRepository;
  members: MemberRepository;
  messages: MessageRepository;
  receipts: ReceiptRepository;
  moderation: ModerationRepository;
  invitations: InvitationRepository;
  guests: GuestRepository;
  presence: PresenceRepository;
}

/** What every chat use-case receives, wired once by `createChatModule`. */
export interface ChatDeps {
  uow: UnitOfWork<ChatRepos>;
  users: UserDirectory;
  log: Logger;
}

/** Request time and ids a command carries. */
export interface ChatMeta {
  now: Date;
  requestId: string;
  correlationId?: string;
}
