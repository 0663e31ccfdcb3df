import type { Queryable } from '../../../shared/db/db.js';
import type { InvitationRepository } from '../application/invitation.repository.port.js';
import type { Invitation } from '../domain/chat.entity.js';

interface InvitationRow {
  id: string;
  conversation_id: string;
  title: string;
  inviter_id: string;
  invitee_id: string;
  status: Invitation['status'];
  created_at: Date;
}

const INVITATION_SELECT = `SELECT i.id, i.conversation_id, c.title, i.inviter_id, i.invitee_id, i.status, i.created_at
  FROM chat_invitations i JOIN chat_conversations c ON c.id = i.conversation_id`;

function toInvitation(invitationRow: InvitationRow): Invitation {
  return {
    invitationId: invitationRow.id,
    conversationId: invitationRow.conversation_id,
    conversationTitle: invitationRow.title,
    inviterId: invitationRow.inviter_id,
    inviteeId: invitationRow.invitee_id,
    status: invitationRow.status,
    createdAt: invitationRow.created_at.toISOString(),
  };
}

/** Invitations on `q`: a transaction or the pool, as the unit of work binds it. */
export function createInvitationRepository(queryable: Queryable): InvitationRepository {
  return {
    async insert(index) {
      await queryable.query(
        "INSERT INTO chat_invitations (id, conversation_id, inviter_id, invitee_id, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)",
        [index.id, index.conversationId, index.inviterId, index.inviteeId, index.at],
      );
      const { rows } = await queryable.query<InvitationRow>(
        `${INVITATION_SELECT} WHERE i.id = $1`,
        [index.id],
      );
      return toInvitation(rows[0]!);
    },
    async find(id, options = {}) {
      const { rows } = await queryable.query<InvitationRow>(
        `${INVITATION_SELECT} WHERE i.id = $1${options.forUpdate ? ' FOR UPDATE OF i' : ''}`,
        [id],
      );
      return rows[0] ? toInvitation(rows[0]) : null;
    },
    async setStatus(id, status, at) {
      await queryable.query(
        'UPDATE chat_invitations SET status = $2, answered_at = $3 WHERE id = $1',
        [id, status, at],
      );
      const { rows } = await queryable.query<InvitationRow>(
        `${INVITATION_SELECT} WHERE i.id = $1`,
        [id],
      );
      return toInvitation(rows[0]!);
    },
    async listPending(inviteeId) {
      const { rows } = await queryable.query<InvitationRow>(
        `${INVITATION_SELECT} WHERE i.invitee_id = $1 AND i.status = 'pending' ORDER BY i.created_at DESC LIMIT 500`,
        [inviteeId],
      );
      return rows.map(toInvitation);
    },
  };
}
