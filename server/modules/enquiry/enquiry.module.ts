import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { EnquiryDeps } from './application/enquiry.deps.js';
import { createEnquiryRepository } from './infrastructure/enquiry.repository.pg.js';
import { enquiryHttp, type EnquiryOperations } from './transport/enquiry.http.js';

/** What the rest of the server sees of enquiries: its HTTP operations, nothing else. */
export interface EnquiryModule {
  readonly http: EnquiryOperations;
}

export interface EnquiryModuleDeps {
  db: Db;
}

/**
 * Wires the enquiry use-cases to Postgres: the unit of work binds the repository to each
 * transaction, the transport gets the use-cases' deps.
 */
export function createEnquiryModule(deps: EnquiryModuleDeps): EnquiryModule {
  const enquiryDeps: EnquiryDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({
      enquiries: createEnquiryRepository(queryable),
    })),
  };
  return { http: enquiryHttp(enquiryDeps) };
}
