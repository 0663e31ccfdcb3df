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
const toEntry = (r: Row): CreditEntry => ({
  id: r.id,
  clientId: r.client_id,
  kind: r.kind,
  delta: r.delta,
  balanceAfter: r.balance_after,
  sourceKind: r.source_kind,
  sourceId: r.source_id,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
});

/** The credits repository on `q`: a transaction or the pool, as the unit of work binds it. */
export function createCreditsRepository(q: Queryable): CreditsRepository {
  return {
    async lockAccount(clientId, at) {
      await q.query(
        'INSERT INTO credit_accounts (client_id, balance, updated_at) VALUES ($1, 0, $2) ON CONFLICT (client_id) DO NOTHING',
        [clientId, at],
      );
      const r = await q.query<{ balance: number }>(
        'SELECT balance FROM credit_accounts WHERE client_id = $1 FOR UPDATE',
        [clientId],
      );
      return r.rows[0]!.balance;
    },
    async findBySource(sourceKind, sourceId) {
      const r = await q.query<Row>(
        `SELECT ${COLUMNS} FROM credit_ledger WHERE source_kind = $1 AND source_id = $2`,
        [sourceKind, sourceId],
      );
      return r.rows[0] ? toEntry(r.rows[0]) : null;
    },
    async setBalance(clientId, balance, at) {
      await q.query(
        'UPDATE credit_accounts SET balance = $2, updated_at = $3 WHERE client_id = $1',
        [clientId, balance, at],
      );
    },
    async insertEntry(e) {
      await q.query(
        `INSERT INTO credit_ledger (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          e.id,
          e.clientId,
          e.kind,
          e.delta,
          e.balanceAfter,
          e.sourceKind,
          e.sourceId,
          e.reason,
          e.createdAt,
        ],
      );
    },
    async balance(clientId) {
      const r = await q.query<{ balance: number; updated_at: Date }>(
        'SELECT balance, updated_at FROM credit_accounts WHERE client_id = $1',
        [clientId],
      );
      const row = r.rows[0];
      return row
        ? { balance: row.balance, updatedAt: row.updated_at.toISOString() }
        : { balance: 0, updatedAt: null };
    },
    async history(clientId, after, limit) {
      const r = after
        ? await q.query<Row>(
            `SELECT ${COLUMNS} FROM credit_ledger WHERE client_id = $1 AND (created_at, id) < ($2::timestamptz, $3::uuid) ORDER BY created_at DESC, id DESC LIMIT $4`,
            [clientId, after.createdAt, after.id, limit],
          )
        : await q.query<Row>(
            `SELECT ${COLUMNS} FROM credit_ledger WHERE client_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
            [clientId, limit],
          );
      return r.rows.map(toEntry);
    },
  };
}
