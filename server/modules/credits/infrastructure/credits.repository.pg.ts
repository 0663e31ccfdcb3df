import type { Queryable } from '../../../shared/db/db.js';
import type { CreditsRepository } from '../application/credits.repository.port.js';
import type { CreditEntry, CreditEntryKind } from '../domain/credit-entry.entity.js';

type Row = {
  id: string;
  client_id: string;
  kind: CreditEntryKind;
  delta: number;
  balance_after: number;
  source_kind: string;
  source_id: string;
  reason: string | null;
  created_at: Date;
};
const COLUMNS =
  'id, client_id, kind, delta, balance_after, source_kind, source_id, reason, created_at';
const toEntry = (row: Row): CreditEntry => ({
  id: row.id,
  clientId: row.client_id,
  kind: row.kind,
  delta: row.delta,
  balanceAfter: row.balance_after,
  sourceKind: row.source_kind,
  sourceId: row.source_id,
  reason: row.reason,
  createdAt: row.created_at.toISOString(),
});

/** The credits repository on `q`: a transaction or the pool, as the unit of work binds it. */
export function createCreditsRepository(queryable: Queryable): CreditsRepository {
  return {
    async lockAccount(clientId, at) {
      await queryable.query(
        'INSERT INTO credit_accounts (client_id, balance, updated_at) VALUES ($1, 0, $2) ON CONFLICT (client_id) DO NOTHING',
        [clientId, at],
      );
      const result = await queryable.query<{ balance: number }>(
        'SELECT balance FROM credit_accounts WHERE client_id = $1 FOR UPDATE',
        [clientId],
      );
      return result.rows[0]!.balance;
    },
    async findBySource(sourceKind, sourceId) {
      const result = await queryable.query<Row>(
        `SELECT ${COLUMNS} FROM credit_ledger WHERE source_kind = $1 AND source_id = $2`,
        [sourceKind, sourceId],
      );
      return result.rows[0] ? toEntry(result.rows[0]) : null;
    },
    async setBalance(clientId, balance, at) {
      await queryable.query(
        'UPDATE credit_accounts SET balance = $2, updated_at = $3 WHERE client_id = $1',
        [clientId, balance, at],
      );
    },
    async insertEntry(creditEntry) {
      await queryable.query(
        `INSERT INTO credit_ledger (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          creditEntry.id,
          creditEntry.clientId,
          creditEntry.kind,
          creditEntry.delta,
          creditEntry.balanceAfter,
          creditEntry.sourceKind,
          creditEntry.sourceId,
          creditEntry.reason,
          creditEntry.createdAt,
        ],
      );
    },
    async balance(clientId) {
      const result = await queryable.query<{ balance: number; updated_at: Date }>(
        'SELECT balance, updated_at FROM credit_accounts WHERE client_id = $1',
        [clientId],
      );
      const row = result.rows[0];
      return row
        ? { balance: row.balance, updatedAt: row.updated_at.toISOString() }
        : { balance: 0, updatedAt: null };
    },
    async history(clientId, after, limit) {
      const result = after
        ? await queryable.query<Row>(
            `SELECT ${COLUMNS} FROM credit_ledger WHERE client_id = $1 AND (created_at, id) < ($2::timestamptz, $3::uuid) ORDER BY created_at DESC, id DESC LIMIT $4`,
            [clientId, after.createdAt, after.id, limit],
          )
        : await queryable.query<Row>(
            `SELECT ${COLUMNS} FROM credit_ledger WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
            [clientId, limit],
          );
      return result.rows.map(toEntry);
    },
  };
}
