import { AppError } from '../../../shared/errors/app-error.js';
import type { HealthDeps } from './health.deps.js';

export interface Readiness {
  status: 'ready';
  checks: { database: 'ok'; migrations: 'ok' };
}

/** Ready when the database answers and no migration is pending; otherwise SERVICE.UNAVAILABLE. */
export async function checkReadiness(deps: HealthDeps): Promise<Readiness> {
  let pending: string[];
  try {
    pending = await deps.uow.read(async ({ database }) => {
      await database.ping();
      return database.pendingMigrations();
    });
  } catch (err) {
    throw new AppError('SERVICE.UNAVAILABLE', {
      detail: 'The database is unreachable.',
      retryAfterSeconds: 5,
      cause: err,
    });
  }
  if (pending.length > 0)
    throw new AppError('SERVICE.UNAVAILABLE', {
      detail: `${pending.length} migration(s) pending.`,
      retryAfterSeconds: 5,
    });
  return { status: 'ready', checks: { database: 'ok', migrations: 'ok' } };
}
