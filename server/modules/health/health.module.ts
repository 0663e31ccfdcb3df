import type { Db } from '../../shared/db/db.js';
import { checkReadiness, type Readiness } from './application/check-readiness.use-case.js';

export interface HealthModule {
  liveness(): { status: 'ok'; version: string };
  readiness(): Promise<Readiness>;
}

export function createHealthModule(deps: { db: Db; version: string }): HealthModule {
  const live = Object.freeze({ status: 'ok' as const, version: deps.version });
  return {
    liveness: () => live,
    readiness: () => checkReadiness(deps.db),
  };
}
