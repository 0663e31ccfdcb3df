import type { Queryable } from '../../../shared/db/db.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import type { EnquiryStatus } from '../domain/enquiry-status.js';
import type { Enquiry, EnquiryAuditEntry } from '../domain/enquiry.entity.js';
import { EnquiryNotFound } from '../domain/enquiry.errors.js';
import type { EnquiryRepository } from './enquiry.repository.port.js';

export interface ListEnquiries {
  status?: EnquiryStatus;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 100;

/** Newest first, keyset-paginated; the page size is capped whatever the caller asks. */
export async function listEnquiries(repo: EnquiryRepository, q: ListEnquiries): Promise<Page<Enquiry>> {
  const limit = Math.min(Math.max(q.limit ?? 20, 1), MAX_PAGE_SIZE);
  const rows = await repo.list({
    ...(q.status ? { status: q.status } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    after: decodeCursor(q.cursor),
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
}

export async function getEnquiry(deps: { db: Queryable; repo: EnquiryRepository }, id: string): Promise<Enquiry> {
  const found = await deps.repo.findById(deps.db, id);
  if (!found) throw new EnquiryNotFound();
  return found;
}

/** The audit trail, oldest first; 404 when the enquiry does not exist. */
export async function listEnquiryAudit(deps: { db: Queryable; repo: EnquiryRepository }, id: string): Promise<EnquiryAuditEntry[]> {
  const found = await deps.repo.findById(deps.db, id);
  if (!found) throw new EnquiryNotFound();
  return deps.repo.listAudit(id);
}
