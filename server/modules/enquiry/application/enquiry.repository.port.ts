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

/**
 * Enquiries and their audit trail (one aggregate: an audit entry never exists without its
 * enquiry). Bound to a transaction or the pool by the unit of work.
 */
export interface EnquiryRepository {
  /** Serializes submissions that share a duplicate key for the rest of the transaction. */
  lockDuplicateKey(key: string): Promise<void>;
  findDuplicateSince(key: string, since: Date): Promise<Enquiry | null>;
  insert(enquiry: NewEnquiry): Promise<Enquiry>;
  findById(id: string, options?: { forUpdate?: boolean }): Promise<Enquiry | null>;
  list(filter: EnquiryFilter): Promise<Enquiry[]>;
  updateStatus(id: string, status: EnquiryStatus, at: Date): Promise<Enquiry>;
  insertAudit(entry: EnquiryAuditEntry): Promise<void>;
  listAudit(enquiryId: string): Promise<EnquiryAuditEntry[]>;
}
