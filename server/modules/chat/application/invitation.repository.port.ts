import type { Invitation, InvitationStatus } from '../domain/chat.entity.js';

/** Invitations to rooms. Bound by the unit of work. */
export interface InvitationRepository {
  /** Throws a unique violation (`chat_invitations_one_pending`) when one is already pending. */
  insert(index: {
    id: string;
    conversationId: string;
    inviterId: string;
    inviteeId: string;
    at: Date;
  }): Promise<Invitation>;
  find(id: string, options?: { forUpdate?: boolean }): Promise<Invitation | null>;
  setStatus(id: string, status: InvitationStatus, at: Date): Promise<Invitation>;
  listPending(inviteeId: string): Promise<Invitation[]>;
}
