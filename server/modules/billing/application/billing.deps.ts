import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { BillingTransactionRepository } from './billing-transaction.repository.port.js';
import type { CheckoutSessionRepository } from './checkout-session.repository.port.js';
import type { PaymentIntentRepository } from './payment-intent.repository.port.js';
import type { PaymentProvider } from './payment-provider.port.js';
import type { ProviderEventRepository } from './provider-event.repository.port.js';
import type { RefundRequestRepository } from './refund-request.repository.port.js';
import type { WebhookVerifier } from './webhook-verifier.port.js';

export interface BillingRepos {
  events: ProviderEventRepository;
  sessions: CheckoutSessionRepository;
  transactions: BillingTransactionRepository;
  intents: PaymentIntentRepository;
  refunds: RefundRequestRepository;
}

export interface BillingDeps {
  uow: UnitOfWork<BillingRepos>;
  provider: PaymentProvider;
  verifier: WebhookVerifier;
  /** The client app's origin: where checkout returns to. */
  returnUrl: string;
}
