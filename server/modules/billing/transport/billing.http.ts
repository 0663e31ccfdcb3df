import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { BillingDeps } from '../application/billing.deps.js';
import { listTransactions } from '../application/list-transactions.use-case.js';
import { receiveWebhook } from '../application/receive-webhook.use-case.js';
import { refundTransaction } from '../application/refund-transaction.use-case.js';

export type BillingOperations = Pick<
  Handlers<RequestContext>,
  'receiveStripeWebhook' | 'adminListBillingTransactions' | 'adminRefundTransaction'
>;

export function billingHttp(deps: BillingDeps): BillingOperations {
  return {
    async receiveStripeWebhook({ rawBody, headers, ctx }) {
      const { duplicate } = await receiveWebhook(
        deps,
        { rawBody, signature: headers['stripe-signature'] },
        { now: ctx.now, requestId: ctx.requestId },
      );
      return { status: 200, body: { received: true, duplicate } };
    },
    async adminListBillingTransactions({ query }) {
      return { status: 200, body: await listTransactions(deps, query) };
    },
    async adminRefundTransaction({ params, body, ctx }) {
      const cmd = {
        transactionId: params.transactionId,
        reason: body.reason,
        requestedBy: ctx.actor!.userId,
        ...(body.amountMinor !== undefined ? { amountMinor: body.amountMinor } : {}),
      };
      return { status: 202, body: await refundTransaction(deps, cmd, { now: ctx.now }) };
    },
  };
}
