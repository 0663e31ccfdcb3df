import type { Queryable } from '../../../shared/db/db.js';
import { pendingMigrations } from '../../../shared/db/migrate.js';
import type { DatabaseProbe } from '../application/database-probe.port.js';

export function createDatabaseProbe(queryable: Queryable): DatabaseProbe {
  return {
    async ping() {
      await queryable.query('SELECT 1');
    },
    pendingMigrations: () => pendingMigrations(queryable),
  };
}
