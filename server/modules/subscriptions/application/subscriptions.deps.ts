import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { BillingCheckout } from '../../billing/index.js';
import type { CreditsLedger } from '../../credits/index.js';
import type { InvoiceGrantRepository } from './invoice-grant.repository.port.js';
import type { PlanRepository } from './plan.repository.port.js';
import type { SubscriptionRepository } from './subscription.repository.port.js';

export interface SubscriptionsRepos {
  plans: PlanRepository;
  subscriptions: SubscriptionRepository;
  grants: InvoiceGrantRepository;
}

export interface SubscriptionsDeps {
  uow: UnitOfWork<SubscriptionsRepos>;
  /** Billing's checkout and the provider's subscription calls. */
  checkout: BillingCheckout;
  /** Credits' ledger: a paid invoice grants its meals in the settlement's transaction. */
  credits: CreditsLedger;
}
