import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { BillingModule } from '../billing.module.js';

type BillingHandlers = Pick<
  Handlers<RequestContext>,
  'receiveStripeWebhook' | 'adminListBillingTransactions' | 'adminRefundTransaction'
>;

export function billingHttp(billing: BillingModule): BillingHandlers {
  return {
    async receiveStripeWebhook({ rawBody, headers, ctx }) {
      const { duplicate } = await billing.receiveWebhook(
        { rawBody, signature: headers['stripe-signature'] },
        { requestId: ctx.requestId },
      );
      return { status: 200, body: { received: true, duplicate } };
    },
    async adminListBillingTransactions({ query }) {
      return { status: 200, body: await billing.transactions(query) };
    },
    async adminRefundTransaction({ params, body, ctx }) {
      const cmd = {
        transactionId: params.transactionId,
        reason: body.reason,
        requestedBy: ctx.actor!.userId,
        ...(body.amountMinor !== undefined ? { amountMinor: body.amountMinor } : {}),
      };
      return { status: 202, body: await billing.refund(cmd) };
    },
  };
}
