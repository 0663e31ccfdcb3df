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
const toPack = (r: PackRow): Pack => ({
  id: r.id,
  name: r.name,
  description: r.description,
  meals: r.meals,
  priceMinor: r.price_minor,
  currency: r.currency,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The pack catalogue on `q`: a transaction or the pool, as the unit of work binds it. */
export function createPackRepository(q: Queryable): PackRepository {
  return {
    async insert(p) {
      await q.query(
        'INSERT INTO packs (id, name, description, meals, price_minor, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          p.id,
          p.name,
          p.description,
          p.meals,
          p.priceMinor,
          p.currency,
          p.status,
          p.createdAt,
          p.updatedAt,
        ],
      );
    },
    async find(id, options = {}) {
      const r = await q.query<PackRow>(
        `SELECT * FROM packs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      );
      return r.rows[0] ? toPack(r.rows[0]) : null;
    },
    async save(p) {
      await q.query(
        'UPDATE packs SET name = $2, description = $3, meals = $4, price_minor = $5, currency = $6, status = $7, updated_at = $8 WHERE id = $1',
        [p.id, p.name, p.description, p.meals, p.priceMinor, p.currency, p.status, p.updatedAt],
      );
    },
    async list(onlyActive) {
      // The contract bounds the list (PackList, Catalogue: maxItems 500); there is no paging.
      const r = await q.query<PackRow>(
        onlyActive
          ? "SELECT * FROM packs WHERE status = 'active' ORDER BY price_minor, name LIMIT 500"
          : 'SELECT * FROM packs ORDER BY created_at DESC, id DESC LIMIT 500',
      );
      return r.rows.map(toPack);
    },
  };
}
