import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { DatabaseProbe } from './database-probe.port.js';

export interface HealthRepos {
  database: DatabaseProbe;
}

export interface HealthDeps {
  uow: UnitOfWork<HealthRepos>;
  version: string;
}
