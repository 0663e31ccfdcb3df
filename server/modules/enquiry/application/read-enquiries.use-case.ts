import { keysetPage, type Page } from '../../../shared/pagination/cursor.js';
import { queryInstant } from '../../../shared/pagination/instant.js';
import type { EnquiryStatus } from '../domain/enquiry-status.js';
import type { Enquiry, EnquiryAuditEntry } from '../domain/enquiry.entity.js';
import { EnquiryNotFound } from '../domain/enquiry.errors.js';
import type { EnquiryDeps } from './enquiry.deps.js';

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
  deps: EnquiryDeps,
  query: ListEnquiries,
): Promise<Page<Enquiry>> {
  const from = queryInstant(query.from, '/query/from');
  const to = queryInstant(query.to, '/query/to');
  return deps.uow.read(({ enquiries }) =>
    keysetPage(
      query,
      (after, limit) =>
        enquiries.list({
          ...(query.status ? { status: query.status } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          after,
          limit,
        }),
      (enquiry) => ({ createdAt: enquiry.createdAt, id: enquiry.id }),
    ),
  );
}

export async function getEnquiry(deps: EnquiryDeps, id: string): Promise<Enquiry> {
  const found = await deps.uow.read(({ enquiries }) => enquiries.findById(id));
  if (!found) throw new EnquiryNotFound();
  return found;
}

/** The audit trail, oldest first; 404 when the enquiry does not exist. */
export async function listEnquiryAudit(
  deps: EnquiryDeps,
  id: string,
): Promise<EnquiryAuditEntry[]> {
  return deps.uow.read(async ({ enquiries }) => {
    if (!(await enquiries.findById(id))) throw new EnquiryNotFound();
    return enquiries.listAudit(id);
  });
}
