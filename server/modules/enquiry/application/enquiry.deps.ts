import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { EnquiryRepository } from './enquiry.repository.port.js';

/** The repositories a transaction (or a read) of this module sees. */
export interface EnquiryRepos {
  enquiries: EnquiryRepository;
}

/** What every enquiry use-case receives, wired once by `createEnquiryModule`. */
export interface EnquiryDeps {
  uow: UnitOfWork<EnquiryRepos>;
}
