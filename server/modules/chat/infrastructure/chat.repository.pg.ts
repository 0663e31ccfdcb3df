import type { Queryable } from '../../../shared/db/db.js';
import type { ChatRepository, HistoryQuery, MemberRecord } from '../application/chat.ports.js';
import {
  toVisitorRow,
  type ChatMessage,
  type Conversation,
  type ConversationRecord,
  type Invitation,
  type MemberRole,
  type ModerationEntry,
} from '../domain/chat.entity.js';

interface ConversationRow {
  id: string;
  kind: ConversationRecord['kind'];
  title: string;
  last_seq: number;
  last_message_at: Date | null;
  guest_id: string | null;
  manager_id: string | null;
  visitor_status: 'waiting' | 'answered' | null;
  visitor_unanswered: number;
  created_at: Date;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  sender_kind: 'user' | 'guest';
  sender_id: string;
  sender_name: string;
  client_message_id: string;
  body: string | null;
  sent_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

interface InvitationRow {
  id: string;
  conversation_id: string;
  title: string;
  inviter_id: string;
  invitee_id: string;
  status: Invitation['status'];
  created_at: Date;
}

const CONVERSATION_COLUMNS =
  'id, kind, title, last_seq, last_message_at, guest_id, manager_id, visitor_status, visitor_unanswered, created_at';
const MESSAGE_COLUMNS =
  'id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at, edited_at, deleted_at';
const INVITATION_SELECT = `SELECT i.id, i.conversation_id, c.title, i.inviter_id, i.invitee_id, i.status, i.created_at
  FROM chat_invitations i JOIN chat_conversations c ON c.id = i.conversation_id`;

function toRecord(r: ConversationRow): ConversationRecord {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    lastSeq: r.last_seq,
    lastMessageAt: r.last_message_at?.toISOString() ?? null,
    guestId: r.guest_id,
    managerId: r.manager_id,
    visitorStatus: r.visitor_status,
    visitorUnanswered: r.visitor_unanswered,
    createdAt: r.created_at.toISOString(),
  };
}

function toMessage(r: MessageRow): ChatMessage {
  return {
    messageId: r.id,
    conversationId: r.conversation_id,
    seq: r.seq,
    sender: { kind: r.sender_kind, id: r.sender_id, displayName: r.sender_name },
    body: r.deleted_at ? null : r.body,
    clientMessageId: r.client_message_id,
    sentAt: r.sent_at.toISOString(),
    editedAt: r.edited_at?.toISOString() ?? null,
    deleted: r.deleted_at !== null,
  };
}

function toInvitation(r: InvitationRow): Invitation {
  return {
    invitationId: r.id,
    conversationId: r.conversation_id,
    conversationTitle: r.title,
    inviterId: r.inviter_id,
    inviteeId: r.invitee_id,
    status: r.status,
    createdAt: r.created_at.toISOString(),
  };
}

function toMember(r: { user_id: string; role: MemberRole; joined_at: Date }): MemberRecord {
  return { userId: r.user_id, role: r.role, joinedAt: r.joined_at.toISOString() };
}

// The caller's view: read marker and the count of others' live messages after it.
const VIEW_SELECT = `SELECT c.id, c.kind, c.title, c.last_seq, c.created_at, m.role,
    COALESCE(r.last_read_seq, 0) AS last_read_seq,
    (SELECT count(*) FROM chat_messages x
      WHERE x.conversation_id = c.id AND x.seq > COALESCE(r.last_read_seq, 0) AND x.sender_id <> $1 AND x.deleted_at IS NULL) AS unread
  FROM chat_conversations c
  LEFT JOIN chat_members m ON m.conversation_id = c.id AND m.user_id::text = $1
  LEFT JOIN chat_read_markers r ON r.conversation_id = c.id AND r.reader_id = $1`;

interface ViewRow {
  id: string;
  kind: Conversation['kind'];
  title: string;
  last_seq: number;
  created_at: Date;
  role: MemberRole | null;
  last_read_seq: number;
  unread: number;
}

function toView(r: ViewRow): Conversation {
  return {
    conversationId: r.id,
    kind: r.kind,
    title: r.title,
    myRole: r.kind === 'room' || r.kind === 'sub_lobby' ? r.role : null,
    lastSeq: r.last_seq,
    lastReadSeq: Math.min(r.last_read_seq, r.last_seq),
    unreadCount: Number(r.unread),
    createdAt: r.created_at.toISOString(),
  };
}

export function createChatRepository(): ChatRepository {
  return {
    async lobbyId(q) {
      const { rows } = await q.query<{ id: string }>(
        "SELECT id FROM chat_conversations WHERE kind = 'lobby'",
      );
      return rows[0]!.id;
    },
    async findConversation(q, id, options = {}) {
      const { rows } = await q.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async insertConversation(q, c) {
      const { rows } = await q.query<ConversationRow>(
        `INSERT INTO chat_conversations (id, kind, title, guest_id, manager_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CONVERSATION_COLUMNS}`,
        [c.id, c.kind, c.title, c.guestId ?? null, c.managerId ?? null, c.createdBy ?? null, c.at],
      );
      return toRecord(rows[0]!);
    },
    async conversationView(q, record, readerId) {
      const { rows } = await q.query<ViewRow>(`${VIEW_SELECT} WHERE c.id = $2`, [
        readerId,
        record.id,
      ]);
      return toView(rows[0]!);
    },
    async listConversationsFor(q, userId, includeVisitors) {
      const { rows } = await q.query<ViewRow>(
        `${VIEW_SELECT}
         WHERE c.kind = 'lobby' OR m.user_id IS NOT NULL OR ($2 AND c.kind = 'visitor' AND c.last_seq > 0)
         ORDER BY CASE c.kind WHEN 'lobby' THEN 0 WHEN 'sub_lobby' THEN 1 WHEN 'room' THEN 2 ELSE 3 END,
                  c.last_message_at DESC NULLS LAST, c.created_at DESC
         LIMIT 500`,
        [userId, includeVisitors],
      );
      return rows.map(toView);
    },
    async memberConversationIds(q, userId) {
      const { rows } = await q.query<{ conversation_id: string }>(
        'SELECT conversation_id FROM chat_members WHERE user_id = $1',
        [userId],
      );
      return rows.map((r) => r.conversation_id);
    },
    async membersAmong(q, conversationId, userIds) {
      const { rows } = await q.query<{ user_id: string }>(
        'SELECT user_id FROM chat_members WHERE conversation_id = $1 AND user_id = ANY($2::uuid[])',
        [conversationId, userIds],
      );
      return rows.map((r) => r.user_id);
    },

    async findMember(q, conversationId, userId) {
      const { rows } = await q.query<{ user_id: string; role: MemberRole; joined_at: Date }>(
        'SELECT user_id, role, joined_at FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
        [conversationId, userId],
      );
      return rows[0] ? toMember(rows[0]) : null;
    },
    async insertMember(q, conversationId, userId, role, at) {
      const r = await q.query(
        'INSERT INTO chat_members (conversation_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [conversationId, userId, role, at],
      );
      return r.rowCount === 1;
    },
    async deleteMember(q, conversationId, userId) {
      await q.query('DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2', [
        conversationId,
        userId,
      ]);
    },
    async setMemberRole(q, conversationId, userId, role) {
      const { rows } = await q.query<{ user_id: string; role: MemberRole; joined_at: Date }>(
        'UPDATE chat_members SET role = $3 WHERE conversation_id = $1 AND user_id = $2 RETURNING user_id, role, joined_at',
        [conversationId, userId, role],
      );
      return toMember(rows[0]!);
    },
    async listMembers(q, conversationId) {
      const { rows } = await q.query<{ user_id: string; role: MemberRole; joined_at: Date }>(
        "SELECT user_id, role, joined_at FROM chat_members WHERE conversation_id = $1 ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, joined_at, user_id LIMIT 1000",
        [conversationId],
      );
      return rows.map(toMember);
    },
    async countMembers(q, conversationId) {
      const { rows } = await q.query<{ n: number }>(
        'SELECT count(*) AS n FROM chat_members WHERE conversation_id = $1',
        [conversationId],
      );
      return Number(rows[0]!.n);
    },

    async findMessageByClientId(q, conversationId, senderId, clientMessageId) {
      const { rows } = await q.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 AND sender_id = $2 AND client_message_id = $3`,
        [conversationId, senderId, clientMessageId],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async nextSeq(q, conversationId, at, visitorSide) {
      const { rows } = await q.query<ConversationRow>(
        `UPDATE chat_conversations SET last_seq = last_seq + 1, last_message_at = $2,
           visitor_status = CASE $3::text WHEN 'guest' THEN 'waiting' WHEN 'staff' THEN 'answered' ELSE visitor_status END,
           visitor_unanswered = CASE $3::text WHEN 'guest' THEN visitor_unanswered + 1 WHEN 'staff' THEN 0 ELSE visitor_unanswered END
         WHERE id = $1 RETURNING ${CONVERSATION_COLUMNS}`,
        [conversationId, at, visitorSide],
      );
      return toRecord(rows[0]!);
    },
    async insertMessage(q, m) {
      const { rows } = await q.query<MessageRow>(
        `INSERT INTO chat_messages (id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ON CONSTRAINT chat_messages_client_id_key DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
        [
          m.id,
          m.conversationId,
          m.seq,
          m.sender.kind,
          m.sender.id,
          m.sender.displayName,
          m.clientMessageId,
          m.body,
          m.sentAt,
        ],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async findMessage(q, messageId, options = {}) {
      const { rows } = await q.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [messageId],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async updateMessage(q, messageId, change) {
      const { rows } = await q.query<MessageRow>(
        `UPDATE chat_messages SET body = $2, edited_at = COALESCE($3, edited_at), deleted_at = COALESCE($4, deleted_at) WHERE id = $1 RETURNING ${MESSAGE_COLUMNS}`,
        [messageId, change.body, change.editedAt ?? null, change.deletedAt ?? null],
      );
      return toMessage(rows[0]!);
    },
    async listMessages(q, conversationId, h: HistoryQuery) {
      if (h.afterSeq !== undefined) {
        const { rows } = await q.query<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 AND seq > $2 AND ($3::int IS NULL OR seq < $3) ORDER BY seq ASC LIMIT $4`,
          [conversationId, h.afterSeq, h.beforeSeq ?? null, h.limit],
        );
        return rows.map(toMessage);
      }
      const { rows } = await q.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 AND ($2::int IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3`,
        [conversationId, h.beforeSeq ?? null, h.limit],
      );
      return rows.reverse().map(toMessage);
    },

    async advanceMarker(q, conversationId, readerId, kind, upToSeq) {
      const sql =
        kind === 'read'
          ? `INSERT INTO chat_read_markers (conversation_id, reader_id, last_read_seq, last_delivered_seq) VALUES ($1, $2, $3, $3)
             ON CONFLICT (conversation_id, reader_id) DO UPDATE SET last_read_seq = $3, last_delivered_seq = GREATEST(chat_read_markers.last_delivered_seq, $3)
             WHERE chat_read_markers.last_read_seq < $3`
          : `INSERT INTO chat_read_markers (conversation_id, reader_id, last_delivered_seq) VALUES ($1, $2, $3)
             ON CONFLICT (conversation_id, reader_id) DO UPDATE SET last_delivered_seq = $3
             WHERE chat_read_markers.last_delivered_seq < $3`;
      const r = await q.query(sql, [conversationId, readerId, upToSeq]);
      return r.rowCount === 1;
    },

    async insertModeration(q, e) {
      await q.query(
        'INSERT INTO chat_moderation (id, message_id, conversation_id, actor_id, action, before, after, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          e.id,
          e.messageId,
          e.conversationId,
          e.actorId,
          e.action,
          e.before,
          e.after,
          e.reason,
          e.at,
        ],
      );
    },
    async listModeration(q, messageId) {
      const { rows } = await q.query<{
        id: string;
        message_id: string;
        actor_id: string;
        action: 'edit' | 'delete';
        before: string | null;
        after: string | null;
        reason: string;
        at: Date;
      }>(
        // The contract bounds the trail (ModerationTrail: maxItems 1000): the first entries, the original text among them.
        'SELECT id, message_id, actor_id, action, before, after, reason, at FROM chat_moderation WHERE message_id = $1 ORDER BY position ASC LIMIT 1000',
        [messageId],
      );
      return rows.map((r): ModerationEntry => ({
        id: r.id,
        messageId: r.message_id,
        actorId: r.actor_id,
        action: r.action,
        before: r.before,
        after: r.after,
        reason: r.reason,
        at: r.at.toISOString(),
      }));
    },

    async insertInvitation(q, i) {
      await q.query(
        "INSERT INTO chat_invitations (id, conversation_id, inviter_id, invitee_id, status, created_at) VALUES ($1, $2, $3, $4, 'pending', $5)",
        [i.id, i.conversationId, i.inviterId, i.inviteeId, i.at],
      );
      const { rows } = await q.query<InvitationRow>(`${INVITATION_SELECT} WHERE i.id = $1`, [i.id]);
      return toInvitation(rows[0]!);
    },
    async findInvitation(q, id, options = {}) {
      const { rows } = await q.query<InvitationRow>(
        `${INVITATION_SELECT} WHERE i.id = $1${options.forUpdate ? ' FOR UPDATE OF i' : ''}`,
        [id],
      );
      return rows[0] ? toInvitation(rows[0]) : null;
    },
    async setInvitationStatus(q, id, status, at) {
      await q.query('UPDATE chat_invitations SET status = $2, answered_at = $3 WHERE id = $1', [
        id,
        status,
        at,
      ]);
      const { rows } = await q.query<InvitationRow>(`${INVITATION_SELECT} WHERE i.id = $1`, [id]);
      return toInvitation(rows[0]!);
    },
    async listPendingInvitations(q, inviteeId) {
      const { rows } = await q.query<InvitationRow>(
        `${INVITATION_SELECT} WHERE i.invitee_id = $1 AND i.status = 'pending' ORDER BY i.created_at DESC LIMIT 500`,
        [inviteeId],
      );
      return rows.map(toInvitation);
    },
    async hasPendingInvitation(q, conversationId, inviteeId) {
      const { rows } = await q.query(
        "SELECT 1 FROM chat_invitations WHERE conversation_id = $1 AND invitee_id = $2 AND status = 'pending'",
        [conversationId, inviteeId],
      );
      return rows.length > 0;
    },

    async findGuest(q, guestId) {
      const { rows } = await q.query<{ id: string; last_active_at: Date }>(
        'SELECT id, last_active_at FROM chat_guests WHERE id = $1',
        [guestId],
      );
      return rows[0] ? { id: rows[0].id, lastActiveAt: rows[0].last_active_at } : null;
    },
    async insertGuest(q, guestId, at) {
      await q.query(
        'INSERT INTO chat_guests (id, created_at, last_active_at) VALUES ($1, $2, $2) ON CONFLICT (id) DO NOTHING',
        [guestId, at],
      );
    },
    async insertVisitorConversation(q, c) {
      await q.query(
        "INSERT INTO chat_conversations (id, kind, title, guest_id, created_at) VALUES ($1, 'visitor', $2, $3, $4) ON CONFLICT DO NOTHING",
        [c.id, c.title, c.guestId, c.at],
      );
    },
    async deleteIdleGuests(q, before, limit) {
      // Locked and checked in one statement, so a guest that writes meanwhile is skipped or waited for.
      const { rowCount } = await q.query(
        `WITH idle AS (
           SELECT g.id AS guest_id, c.id AS conversation_id FROM chat_guests g JOIN chat_conversations c ON c.guest_id = g.id
            WHERE g.last_active_at < $1 AND c.last_seq = 0
            ORDER BY g.last_active_at LIMIT $2 FOR UPDATE OF g, c SKIP LOCKED
         ), markers AS (
           DELETE FROM chat_read_markers WHERE conversation_id IN (SELECT conversation_id FROM idle)
         ), conversations AS (
           DELETE FROM chat_conversations WHERE id IN (SELECT conversation_id FROM idle)
         )
         DELETE FROM chat_guests WHERE id IN (SELECT guest_id FROM idle)`,
        [before, limit],
      );
      return rowCount ?? 0;
    },
    async touchGuest(q, guestId, at) {
      await q.query(
        'UPDATE chat_guests SET last_active_at = GREATEST(last_active_at, $2) WHERE id = $1',
        [guestId, at],
      );
    },
    async findVisitorConversation(q, guestId) {
      const { rows } = await q.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations WHERE guest_id = $1`,
        [guestId],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async listVisitorInbox(q, limit) {
      const { rows } = await q.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations WHERE kind = 'visitor' AND last_seq > 0
         ORDER BY (visitor_status = 'waiting') DESC, last_message_at DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => toVisitorRow(toRecord(r)));
    },

    async addPresence(q, connectionId, userId, at) {
      await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [userId]);
      await q.query(
        'INSERT INTO chat_presence (connection_id, user_id, connected_at, seen_at) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING',
        [connectionId, userId, at],
      );
      const { rows } = await q.query<{ n: number }>(
        'SELECT count(*) AS n FROM chat_presence WHERE user_id = $1',
        [userId],
      );
      return Number(rows[0]!.n);
    },
    async removePresence(q, connectionId) {
      const { rows } = await q.query<{ user_id: string }>(
        'SELECT user_id FROM chat_presence WHERE connection_id = $1',
        [connectionId],
      );
      const userId = rows[0]?.user_id;
      if (!userId) return null;
      await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', [userId]);
      await q.query('DELETE FROM chat_presence WHERE connection_id = $1', [connectionId]);
      const left = await q.query<{ n: number }>(
        'SELECT count(*) AS n FROM chat_presence WHERE user_id = $1',
        [userId],
      );
      return { userId, remaining: Number(left.rows[0]!.n) };
    },
    async refreshPresence(q, connectionIds, at) {
      if (connectionIds.length === 0) return;
      await q.query('UPDATE chat_presence SET seen_at = $2 WHERE connection_id = ANY($1::text[])', [
        connectionIds,
        at,
      ]);
    },
    async deleteStalePresence(q, before, limit) {
      const r = await q.query(
        'DELETE FROM chat_presence WHERE connection_id IN (SELECT connection_id FROM chat_presence WHERE seen_at < $1 LIMIT $2)',
        [before, limit],
      );
      return r.rowCount ?? 0;
    },
    async scrubDeletedBodiesFromOutbox(q, deletedSince, limit) {
      // Chat's events carry the message (ChatMessage) at payload.message; the type list matches
      // the partial index outbox_chat_message, so the lookup per deleted message uses it.
      const r = await q.query(
        `UPDATE outbox SET payload = jsonb_set(jsonb_set(payload, '{message,body}', 'null'::jsonb), '{message,deleted}', 'true'::jsonb)
          WHERE id IN (
            SELECT o.id FROM chat_messages m
              JOIN outbox o ON (o.payload #>> '{message,messageId}') = m.id::text AND o.type IN ('chat.message_posted', 'chat.message_updated')
             WHERE m.deleted_at >= $1 AND (o.payload #>> '{message,body}') IS NOT NULL
             LIMIT $2)`,
        [deletedSince, limit],
      );
      return r.rowCount ?? 0;
    },
    async clearModerationTexts(q, before, limit) {
      const r = await q.query(
        'UPDATE chat_moderation SET before = NULL, after = NULL WHERE id IN (SELECT id FROM chat_moderation WHERE at < $1 AND (before IS NOT NULL OR after IS NOT NULL) LIMIT $2)',
        [before, limit],
      );
      return r.rowCount ?? 0;
    },
  };
}
