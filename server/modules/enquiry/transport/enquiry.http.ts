import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { EnquiryModule } from '../enquiry.module.js';

type EnquiryHandlers = Pick<
  Handlers<RequestContext>,
  'submitEnquiry' | 'listEnquiries' | 'getEnquiry' | 'advanceEnquiryStatus' | 'listEnquiryAudit'
>;

/** The staff member behind an admin request; BalanceGuard has already required the session. */
function staff(ctx: RequestContext) {
  const session = ctx.session!;
  return { userId: session.userId, email: session.email, role: session.role };
}

export function enquiryHttp(enquiry: EnquiryModule): EnquiryHandlers {
  return {
    async submitEnquiry({ body, ctx }) {
      const { enquiry: e, duplicate } = await enquiry.submit(body, { requestId: ctx.requestId });
      const receipt = { id: e.id, status: 'received' as const, receivedAt: e.createdAt };
      return duplicate ? { status: 200, body: receipt } : { status: 201, body: receipt };
    },
    async listEnquiries({ query }) {
      return { status: 200, body: await enquiry.list(query) };
    },
    async getEnquiry({ params }) {
      return { status: 200, body: await enquiry.get(params.enquiryId) };
    },
    async advanceEnquiryStatus({ params, body, ctx }) {
      return {
        status: 200,
        body: await enquiry.advance(
          { enquiryId: params.enquiryId, to: body.to, reason: body.reason },
          { requestId: ctx.requestId, actor: staff(ctx) },
        ),
      };
    },
    async listEnquiryAudit({ params }) {
      return { status: 200, body: { items: await enquiry.audit(params.enquiryId) } };
    },
  };
}
