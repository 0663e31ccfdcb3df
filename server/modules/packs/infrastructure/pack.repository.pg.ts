import type { Queryable } from '../../../shared/db/db.js';
import type { PackRepository } from '../application/pack.repository.port.js';
import type { Pack } from '../domain/pack.entity.js';

type PackRow = {
  id: string;
  name: string;
  description: string | null;
  meals: number;
  price_minor: number;
  currency: string;
  status: Pack['status'];
  created_at: Date;
  updated_at: Date;
};
const toPack = (packRow: PackRow): Pack => ({
  id: packRow.id,
  name: packRow.name,
  description: packRow.description,
  meals: packRow.meals,
  priceMinor: packRow.price_minor,
  currency: packRow.currency,
  status: packRow.status,
  createdAt: packRow.created_at.toISOString(),
  updatedAt: packRow.updated_at.toISOString(),
});

/** The pack catalogue on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPackRepository(queryable: Queryable): PackRepository {
  return {
    async insert(pack) {
      await queryable.query(
        'INSERT INTO packs (id, name, description, meals, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          pack.id,
          pack.name,
          pack.description,
          pack.meals,
          pack.priceMinor,
          pack.currency,
          pack.status,
          pack.createdAt,
          pack.updatedAt,
        ],
      );
    },
    async find(id, options = {}) {
      const result = await queryable.query<PackRow>(
        `SELECT * FROM packs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return result.rows[0] ? toPack(result.rows[0]) : null;
    },
    async save(pack) {
      await queryable.query(
        'UPDATE packs SET name = $2, description = $3, meals = $4, price_minor = $5, currency = $6, status = $7, updated_at = $8 WHERE id = $1',
        [
          pack.id,
          pack.name,
          pack.description,
          pack.meals,
          pack.priceMinor,
          pack.currency,
          pack.status,
          pack.updatedAt,
        ],
      );
    },
    async list(onlyActive) {
      // The contract bounds the list (PackList, Catalogue: maxItems 500); there is no paging.
      const result = await queryable.query<PackRow>(
        onlyActive
          ? "SELECT * FROM packs WHERE status = 'active' ORDER BY price_minor, name LIMIT 500"
          : 'SELECT * FROM packs ORDER BY created_at DESC, id DESC LIMIT 500',
      );
      return result.rows.map(toPack);
    },
  };
}
