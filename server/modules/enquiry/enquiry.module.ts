import type { Db } from '../../shared/db/db.js';
import type { Clock } from '../../shared/time/clock.js';
import {
  advanceEnquiryStatus,
  type AdvanceEnquiry,
  type StaffActor,
} from './application/advance-enquiry-status.use-case.js';
import {
  getEnquiry,
  listEnquiries,
  listEnquiryAudit,
  type ListEnquiries,
  type Page,
} from './application/read-enquiries.use-case.js';
import {
  submitEnquiry,
  type SubmitEnquiry,
  type SubmitEnquiryResult,
} from './application/submit-enquiry.use-case.js';
import type { Enquiry, EnquiryAuditEntry } from './domain/enquiry.entity.js';
import { createEnquiryRepository } from './infrastructure/enquiry.repository.pg.js';

export interface EnquiryModule {
  submit(cmd: SubmitEnquiry, meta: { requestId: string }): Promise<SubmitEnquiryResult>;
  list(q: ListEnquiries): Promise<Page<Enquiry>>;
  get(id: string): Promise<Enquiry>;
  advance(cmd: AdvanceEnquiry, meta: { requestId: string; actor: StaffActor }): Promise<Enquiry>;
  audit(id: string): Promise<EnquiryAuditEntry[]>;
}

export function createEnquiryModule(deps: { db: Db; clock: Clock }): EnquiryModule {
  const repo = createEnquiryRepository(deps.db);
  const { db, clock } = deps;
  return {
    submit: (cmd, meta) =>
      submitEnquiry({ db, repo }, cmd, { now: clock.now(), requestId: meta.requestId }),
    list: (q) => listEnquiries(repo, q),
    get: (id) => getEnquiry({ db, repo }, id),
    advance: (cmd, meta) => advanceEnquiryStatus({ db, repo }, cmd, { now: clock.now(), ...meta }),
    audit: (id) => listEnquiryAudit({ db, repo }, id),
  };
}
