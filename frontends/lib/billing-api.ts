import type { components } from '../../generated/v1/types.js';
import { call, type HttpClient } from './http-client.js';
import { newId } from './ids.js';

type S = components['schemas'];
export type Pack = S['Pack'];
export type Plan = S['Plan'];
export type Catalogue = S['Catalogue'];
export type PackPurchase = S['PackPurchase'];
export type Subscription = S['Subscription'];
export type SubscriptionStatus = S['SubscriptionStatus'];
export type CreditBalance = S['CreditBalance'];
export type BillingTransaction = S['BillingTransaction'];
export type CreatePackRequest = S['CreatePackRequest'];
export type UpdatePackRequest = S['UpdatePackRequest'];
export type CreatePlanRequest = S['CreatePlanRequest'];
export type UpdatePlanRequest = S['UpdatePlanRequest'];
export type RefundRequest = S['RefundRequest'];

/** A fresh key per user action, so a retried request (network blip) is not charged twice. */
const idempotency = (what: string) => ({
  'Idempotency-Key': newId(what)
    .replace(/[^A-Za-z0-9_.:-]/g, '')
    .slice(0, 128),
});

export type SubscriptionAction = 'cancel' | 'pause' | 'resume';

/** The client's billing calls: catalogue, checkout, purchases, subscriptions, credits. */
export function clientBillingApi(http: HttpClient) {
  const { api } = http;
  return {
    catalogue: () => call(api.GET('/api/v1/client/catalogue')),
    startPackCheckout: (packId: string) =>
      call(
        api.POST('/api/v1/client/packs/{packId}/checkout', {
          params: { path: { packId }, header: idempotency('pack') },
        }),
      ),
    purchases: () => call(api.GET('/api/v1/client/packs/purchases')).then((result) => result.items),
    subscriptions: () =>
      call(api.GET('/api/v1/client/subscriptions')).then((result) => result.items),
    startSubscription: (planId: string) =>
      call(
        api.POST('/api/v1/client/subscriptions', {
          params: { header: idempotency('sub') },
          body: { planId },
        }),
      ),
    subscriptionAction: (action: SubscriptionAction, subscriptionId: string, reason?: string) => {
      const init = { params: { path: { subscriptionId } }, body: reason ? { reason } : {} };
      if (action === 'cancel')
        return call(api.POST('/api/v1/client/subscriptions/{subscriptionId}/cancel', init));
      if (action === 'pause')
        return call(api.POST('/api/v1/client/subscriptions/{subscriptionId}/pause', init));
      return call(api.POST('/api/v1/client/subscriptions/{subscriptionId}/resume', init));
    },
    credits: () => call(api.GET('/api/v1/client/credits')),
  };
}
export type ClientBillingApi = ReturnType<typeof clientBillingApi>;

/** The admin's billing calls: packs, plans, the ledger and refunds. */
export function adminBillingApi(http: HttpClient) {
  const { api } = http;
  return {
    packs: () => call(api.GET('/api/v1/admin/packs')).then((result) => result.items),
    createPack: (body: CreatePackRequest) => call(api.POST('/api/v1/admin/packs', { body })),
    updatePack: (packId: string, body: UpdatePackRequest) =>
      call(api.PATCH('/api/v1/admin/packs/{packId}', { params: { path: { packId } }, body })),
    retirePack: (packId: string) =>
      call(api.POST('/api/v1/admin/packs/{packId}/retire', { params: { path: { packId } } })),
    plans: () => call(api.GET('/api/v1/admin/plans')).then((result) => result.items),
    createPlan: (body: CreatePlanRequest) => call(api.POST('/api/v1/admin/plans', { body })),
    updatePlan: (planId: string, body: UpdatePlanRequest) =>
      call(api.PATCH('/api/v1/admin/plans/{planId}', { params: { path: { planId } }, body })),
    retirePlan: (planId: string) =>
      call(api.POST('/api/v1/admin/plans/{planId}/retire', { params: { path: { planId } } })),
    transactions: (cursor: string | null, limit = 25) =>
      call(
        api.GET('/api/v1/admin/billing/transactions', {
          params: { query: cursor ? { cursor, limit } : { limit } },
        }),
      ),
    refund: (transactionId: string, body: RefundRequest) =>
      call(
        api.POST('/api/v1/admin/billing/transactions/{transactionId}/refund', {
          params: { path: { transactionId }, header: idempotency('refund') },
          body,
        }),
      ),
  };
}
export type AdminBillingApi = ReturnType<typeof adminBillingApi>;
