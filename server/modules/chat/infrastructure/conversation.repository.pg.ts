import type { Queryable } from '../../../shared/db/db.js';
import type { ConversationRepository } from '../application/conversation.repository.port.js';
import {
  toVisitorRow,
  type Conversation,
  type ConversationRecord,
  type MemberRole,
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

const CONVERSATION_COLUMNS =
  'id, kind, title, last_seq, last_message_at, guest_id, manager_id, visitor_status, visitor_unanswered, created_at';

function toRecord(conversationRow: ConversationRow): ConversationRecord {
  return {
    id: conversationRow.id,
    kind: conversationRow.kind,
    title: conversationRow.title,
    lastSeq: conversationRow.last_seq,
    lastMessageAt: conversationRow.last_message_at?.toISOString() ?? null,
    guestId: conversationRow.guest_id,
    managerId: conversationRow.manager_id,
    visitorStatus: conversationRow.visitor_status,
    visitorUnanswered: conversationRow.visitor_unanswered,
    createdAt: conversationRow.created_at.toISOString(),
  };
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

function toView(viewRow: ViewRow): Conversation {
  return {
    conversationId: viewRow.id,
    kind: viewRow.kind,
    title: viewRow.title,
    myRole: viewRow.kind === 'room' || viewRow.kind === 'sub_lobby' ? viewRow.role : null,
    lastSeq: viewRow.last_seq,
    lastReadSeq: Math.min(viewRow.last_read_seq, viewRow.last_seq),
    unreadCount: Number(viewRow.unread),
    createdAt: viewRow.created_at.toISOString(),
  };
}

/** A reader's conversations: the lobby, those they belong to, and (for staff) live visitor chats. */
const LIST_FOR_SQL = `${VIEW_SELECT}
         WHERE c.kind = 'lobby' OR m.user_id IS NOT NULL OR ($2 AND c.kind = 'visitor' AND c.last_seq > 0)
         ORDER BY CASE c.kind WHEN 'lobby' THEN 0 WHEN 'sub_lobby' THEN 1 WHEN 'room' THEN 2 ELSE 3 END,
                  c.last_message_at DESC NULLS LAST, c.created_at DESC
         LIMIT 500`;

/** Conversations on `q`: a transaction or the pool, as the unit of work binds it. */
export function createConversationRepository(queryable: Queryable): ConversationRepository {
  return {
    async lobbyId() {
      const { rows } = await queryable.query<{ id: string }>(
        "SELECT id FROM chat_conversations WHERE kind = 'lobby'",
      );
      return rows[0]!.id;
    },
    async find(id, options = {}) {
      const { rows } = await queryable.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async insert(item) {
      const { rows } = await queryable.query<ConversationRow>(
        `INSERT INTO chat_conversations (id, kind, title, guest_id, manager_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CONVERSATION_COLUMNS}`,
        [
          item.id,
          item.kind,
          item.title,
          item.guestId ?? null,
          item.managerId ?? null,
          item.createdBy ?? null,
          item.at,
        ],
      );
      return toRecord(rows[0]!);
    },
    async view(record, readerId) {
      const { rows } = await queryable.query<ViewRow>(`${VIEW_SELECT} WHERE c.id = $2`, [
        readerId,
        record.id,
      ]);
      return toView(rows[0]!);
    },
    async listFor(userId, includeVisitors) {
      const { rows } = await queryable.query<ViewRow>(LIST_FOR_SQL, [userId, includeVisitors]);
      return rows.map(toView);
    },
    async nextSeq(conversationId, at, visitorSide) {
      const { rows } = await queryable.query<ConversationRow>(
        `UPDATE chat_conversations SET last_seq = last_seq + 1, last_message_at = $2,
           visitor_status = CASE $3::text WHEN 'guest' THEN 'waiting' WHEN 'staff' THEN 'answered' ELSE visitor_status END,
           visitor_unanswered = CASE $3::text WHEN 'guest' THEN visitor_unanswered + 1 WHEN 'staff' THEN 0 ELSE visitor_unanswered END
         WHERE id = $1 RETURNING ${CONVERSATION_COLUMNS}`,
        [conversationId, at, visitorSide],
      );
      return toRecord(rows[0]!);
    },
    async findVisitor(guestId) {
      const { rows } = await queryable.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations WHERE guest_id = $1`,
        [guestId],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async insertVisitor(item) {
      await queryable.query(
        "INSERT INTO chat_conversations (id, kind, title, guest_id, created_at) VALUES ($1, 'visitor', $2, $3, $4) ON CONFLICT DO NOTHING",
        [item.id, item.title, item.guestId, item.at],
      );
    },
    async visitorInbox(limit) {
      const { rows } = await queryable.query<ConversationRow>(
        `SELECT ${CONVERSATION_COLUMNS} FROM chat_conversations WHERE kind = 'visitor' AND last_seq > 0
         ORDER BY (visitor_status = 'waiting') DESC, last_message_at DESC LIMIT $1`,
        [limit],
      );
      return rows.map((row) => toVisitorRow(toRecord(row)));
    },
  };
}
