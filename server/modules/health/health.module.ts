import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { HealthDeps } from './application/health.deps.js';
import { createDatabaseProbe } from './infrastructure/database-probe.pg.js';
import { healthHttp, type HealthOperations } from './transport/health.http.js';

export interface HealthModule {
  readonly http: HealthOperations;
}

export function createHealthModule(deps: { db: Db; version: string }): HealthModule {
  const healthDeps: HealthDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({ database: createDatabaseProbe(queryable) })),
    version: deps.version,
  };
  return { http: healthHttp(healthDeps) };
}
