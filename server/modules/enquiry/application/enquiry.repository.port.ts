import type { Queryable } from '../../../shared/db/db.js';
import type { CursorPosition } from '../../../shared/pagination/cursor.js';
import type { EnquiryStatus } from '../domain/enquiry-status.js';
import type { Enquiry, EnquiryAuditEntry } from '../domain/enquiry.entity.js';

export interface NewEnquiry {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  message: string;
  preferredContact: 'email' | 'phone' | null;
  duplicateKey: string;
  at: Date;
}

export interface EnquiryFilter {
  status?: EnquiryStatus;
  from?: string;
  to?: string;
  after: CursorPosition | null;
  limit: number;
}

/** Persistence of enquiries and their audit trail. Writes take the caller's transaction. */
export interface EnquiryRepository {
  /** Serializes submissions that share a duplicate key for the rest of the transaction. */
  lockDuplicateKey(tx: Queryable, key: string): Promise<void>;
  findDuplicateSince(tx: Queryable, key: string, since: Date): Promise<Enquiry | null>;
  insert(tx: Queryable, enquiry: NewEnquiry): Promise<Enquiry>;
  findById(q: Queryable, id: string, options?: { forUpdate?: boolean }): Promise<Enquiry | null>;
  list(filter: EnquiryFilter): Promise<Enquiry[]>;
  updateStatus(tx: Queryable, id: string, status: EnquiryStatus, at: Date): Promise<Enquiry>;
  insertAudit(tx: Queryable, entry: EnquiryAuditEntry): Promise<void>;
  listAudit(enquiryId: string): Promise<EnquiryAuditEntry[]>;
}
