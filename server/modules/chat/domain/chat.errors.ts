import { AppError } from '../../../shared/errors/app-error.js';

/** Also what a conversation the caller is not in answers: a 404, never a 403 that reveals it. */
export class ConversationNotFound extends AppError {
  constructor() {
    super('CHAT.CONVERSATION_NOT_FOUND');
  }
}

export class MessageNotFound extends AppError {
  constructor() {
    super('CHAT.MESSAGE_NOT_FOUND');
  }
}

export class InvitationNotFound extends AppError {
  constructor() {
    super('CHAT.INVITATION_NOT_FOUND');
  }
}

export class ChatNotAllowed extends AppError {
  constructor(detail: string) {
    super('CHAT.NOT_ALLOWED', { detail });
  }
}

export class AlreadyMember extends AppError {
  constructor(detail = 'The user is already in the conversation or already invited.') {
    super('CHAT.ALREADY_MEMBER', { detail });
  }
}

export class InvitationNotPending extends AppError {
  constructor() {
    super('CHAT.INVITATION_NOT_PENDING');
  }
}

export class OwnerCannotLeave extends AppError {
  constructor() {
    super('CHAT.OWNER_CANNOT_LEAVE');
  }
}

export class ChatUserNotFound extends AppError {
  constructor() {
    super('CHAT.USER_NOT_FOUND');
  }
}
