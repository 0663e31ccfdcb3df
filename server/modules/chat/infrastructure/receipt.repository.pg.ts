import type { Queryable } from '../../../shared/db/db.js';
import type { ReceiptRepository } from '../application/receipt.repository.port.js';

/** Read and delivered markers on `q`: a transaction or the pool, as the unit of work binds it. */
export function createReceiptRepository(queryable: Queryable): ReceiptRepository {
  return {
    async advance(conversationId, readerId, kind, upToSeq) {
      const sql =
        kind === 'read'
          ? `INSERT INTO chat_read_markers (conversation_id, reader_id, last_read_seq, last_delivered_seq) VALUES ($1, $2, $3, $3)
             ON CONFLICT (conversation_id, reader_id) DO UPDATE SET last_read_seq = $3, last_delivered_seq = GREATEST(chat_read_markers.last_delivered_seq, $3)
             WHERE chat_read_markers.last_read_seq < $3`
          : `INSERT INTO chat_read_markers (conversation_id, reader_id, last_delivered_seq) VALUES ($1, $2, $3)
             ON CONFLICT (conversation_id, reader_id) DO UPDATE SET last_delivered_seq = $3
             WHERE chat_read_markers.last_delivered_seq < $3`;
      const result = await queryable.query(sql, [conversationId, readerId, upToSeq]);
      return result.rowCount === 1;
    },
  };
}
