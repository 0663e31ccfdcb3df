import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import { advanceEnquiryStatus } from '../application/advance-enquiry-status.use-case.js';
import type { EnquiryDeps } from '../application/enquiry.deps.js';
import {
  getEnquiry,
  listEnquiries,
  listEnquiryAudit,
} from '../application/read-enquiries.use-case.js';
import { submitEnquiry } from '../application/submit-enquiry.use-case.js';

export type EnquiryOperations = Pick<
  Handlers<RequestContext>,
  'submitEnquiry' | 'listEnquiries' | 'getEnquiry' | 'advanceEnquiryStatus' | 'listEnquiryAudit'
>;

/** The staff member behind an admin request; BalanceGuard has already required the session. */
function staff(ctx: RequestContext) {
  const session = ctx.session!;
  return { userId: session.userId, email: session.email, role: session.role };
}

/** One handler per operation: each maps the request to one use-case and its result to the response. */
export function enquiryHttp(deps: EnquiryDeps): EnquiryOperations {
  return {
    async submitEnquiry({ body, ctx }) {
      const { enquiry: entry, duplicate } = await submitEnquiry(deps, body, {
        now: ctx.now,
        requestId: ctx.requestId,
      });
      const receipt = { id: entry.id, status: 'received' as const, receivedAt: entry.createdAt };
      return duplicate ? { status: 200, body: receipt } : { status: 201, body: receipt };
    },
    async listEnquiries({ query }) {
      return { status: 200, body: await listEnquiries(deps, query) };
    },
    async getEnquiry({ params }) {
      return { status: 200, body: await getEnquiry(deps, params.enquiryId) };
    },
    async advanceEnquiryStatus({ params, body, ctx }) {
      return {
        status: 200,
        body: await advanceEnquiryStatus(
          deps,
          { enquiryId: params.enquiryId, to: body.to, reason: body.reason },
          { now: ctx.now, requestId: ctx.requestId, actor: staff(ctx) },
        ),
      };
    },
    async listEnquiryAudit({ params }) {
      return { status: 200, body: { items: await listEnquiryAudit(deps, params.enquiryId) } };
    },
  };
}
