import type { Queryable } from '../../../shared/db/db.js';
import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import { queryInstant } from '../../../shared/pagination/instant.js';
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

export type { Page };

/** Newest first, keyset-paginated; the page size is capped whatever the caller asks. */
export async function listEnquiries(
  repo: EnquiryRepository,
  q: ListEnquiries,
): Promise<Page<Enquiry>> {
  const from = queryInstant(q.from, '/query/from');
  const to = queryInstant(q.to, '/query/to');
  return keysetPage(
    q,
    (after, limit) =>
      repo.list({
        ...(q.status ? { status: q.status } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        after,
        limit,
      }),
    (e) => ({ createdAt: e.createdAt, id: e.id }),
  );
}

export async function getEnquiry(
  deps: { db: Queryable; repo: EnquiryRepository },
  id: string,
): Promise<Enquiry> {
  const found = await deps.repo.findById(deps.db, id);
  if (!found) throw new EnquiryNotFound();
  return found;
}

/** The audit trail, oldest first; 404 when the enquiry does not exist. */
export async function listEnquiryAudit(
  deps: { db: Queryable; repo: EnquiryRepository },
  id: string,
): Promise<EnquiryAuditEntry[]> {
  const found = await deps.repo.findById(deps.db, id);
  if (!found) throw new EnquiryNotFound();
  return deps.repo.listAudit(id);
}
