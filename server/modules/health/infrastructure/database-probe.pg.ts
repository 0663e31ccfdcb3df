import type { Queryable } from '../../../shared/db/db.js';
import { pendingMigrations } from '../../../shared/db/migrate.js';
import type { DatabaseProbe } from '../application/database-probe.port.js';

export function createDatabaseProbe(q: Queryable): DatabaseProbe {
  return {
    async ping() {
      await q.query('SELECT 1');
    },
    pendingMigrations: () => pendingMigrations(q),
  };
}
