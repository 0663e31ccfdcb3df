import type { Queryable } from '../../../shared/db/db.js';
import type { ProviderEventRepository } from '../application/provider-event.repository.port.js';
import type { StripeEventLike } from '../domain/stripe-event.js';

/** Provider events on `q`: a transaction or the pool, as the unit of work binds it. */
export function createProviderEventRepository(queryable: Queryable): ProviderEventRepository {
  return {
    async insert(event, source, at) {
      const result = await queryable.query(
        'INSERT INTO billing_stripe_events (id, type, created_unix, livemode, payload, source, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id',
        [
          event.id,
          event.type,
          event.created,
          event.livemode === true,
          JSON.stringify(event),
          source,
          at,
        ],
      );
      return result.rowCount === 1;
    },
    async lock(id) {
      const result = await queryable.query<{ payload: StripeEventLike; processed_at: Date | null }>(
        'SELECT payload, processed_at FROM billing_stripe_events WHERE id = $1 FOR UPDATE',
        [id],
      );
      const row = result.rows[0];
      return row ? { event: row.payload, processed: row.processed_at !== null } : null;
    },
    async markProcessed(id, outcome, at) {
      await queryable.query(
        'UPDATE billing_stripe_events SET processed_at = $2, outcome = $3 WHERE id = $1',
        [id, at, outcome],
      );
    },
    async knownIds(ids) {
      if (ids.length === 0) return new Set();
      const result = await queryable.query<{ id: string }>(
        'SELECT id FROM billing_stripe_events WHERE id = ANY($1::text[])',
        [ids],
      );
      return new Set(result.rows.map((row) => row.id));
    },
  };
}
