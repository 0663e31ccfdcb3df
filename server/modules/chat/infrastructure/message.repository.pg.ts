import type { Queryable } from '../../../shared/db/db.js';
import type { HistoryQuery, MessageRepository } from '../application/message.repository.port.js';
import type { ChatMessage } from '../domain/chat.entity.js';

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

const MESSAGE_COLUMNS =
  'id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at, edited_at, deleted_at';

function toMessage(messageRow: MessageRow): ChatMessage {
  return {
    messageId: messageRow.id,
    conversationId: messageRow.conversation_id,
    seq: messageRow.seq,
    sender: {
      kind: messageRow.sender_kind,
      id: messageRow.sender_id,
      displayName: messageRow.sender_name,
    },
    body: messageRow.deleted_at ? null : messageRow.body,
    clientMessageId: messageRow.client_message_id,
    sentAt: messageRow.sent_at.toISOString(),
    editedAt: messageRow.edited_at?.toISOString() ?? null,
    deleted: messageRow.deleted_at !== null,
  };
}

/** Messages on `q`: a transaction or the pool, as the unit of work binds it. */
export function createMessageRepository(queryable: Queryable): MessageRepository {
  return {
    async findByClientId(conversationId, senderId, clientMessageId) {
      const { rows } = await queryable.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 AND sender_id = $2 AND client_message_id = $3`,
        [conversationId, senderId, clientMessageId],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async insert(newMessage) {
      const { rows } = await queryable.query<MessageRow>(
        `INSERT INTO chat_messages (id, conversation_id, seq, sender_kind, sender_id, sender_name, client_message_id, body, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ON CONSTRAINT chat_messages_client_id_key DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
        [
          newMessage.id,
          newMessage.conversationId,
          newMessage.seq,
          newMessage.sender.kind,
          newMessage.sender.id,
          newMessage.sender.displayName,
          newMessage.clientMessageId,
          newMessage.body,
          newMessage.sentAt,
        ],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async find(messageId, options = {}) {
      const { rows } = await queryable.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [messageId],
      );
      return rows[0] ? toMessage(rows[0]) : null;
    },
    async update(messageId, change) {
      const { rows } = await queryable.query<MessageRow>(
        `UPDATE chat_messages SET body = $2, edited_at = COALESCE($3, edited_at), deleted_at = COALESCE($4, deleted_at) WHERE id = $1 RETURNING ${MESSAGE_COLUMNS}`,
        [messageId, change.body, change.editedAt ?? null, change.deletedAt ?? null],
      );
      return toMessage(rows[0]!);
    },
    async list(conversationId, historyQuery: HistoryQuery) {
      if (historyQuery.afterSeq !== undefined) {
        const { rows } = await queryable.query<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 AND seq > $2 AND ($3::int IS NULL OR seq < $3) ORDER BY seq ASC LIMIT $4`,
          [
            conversationId,
            historyQuery.afterSeq,
            historyQuery.beforeSeq ?? null,
            historyQuery.limit,
          ],
        );
        return rows.map(toMessage);
      }
      const { rows } = await queryable.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conversation_id = $1 AND ($2::int IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $3`,
        [conversationId, historyQuery.beforeSeq ?? null, historyQuery.limit],
      );
      return rows.reverse().map(toMessage);
    },
    async scrubDeletedBodiesFromOutbox(deletedSince, limit) {
      // Chat's events carry the message (ChatMessage) at payload.message; the type list matches
      // the partial index outbox_chat_message, so the lookup per deleted message uses it.
      const result = await queryable.query(
        `UPDATE outbox SET payload = jsonb_set(jsonb_set(payload, '{message,body}', 'null'::jsonb), '{message,deleted}', 'true'::jsonb)
          WHERE id IN (
            SELECT o.id FROM chat_messages m
              JOIN outbox o ON (o.payload #>> '{message,messageId}') = m.id::text AND o.type IN ('chat.message_posted', 'chat.message_updated')
             WHERE m.deleted_at >= $1 AND (o.payload #>> '{message,body}') IS NOT NULL
             LIMIT $2)`,
        [deletedSince, limit],
      );
      return result.rowCount ?? 0;
    },
  };
}
