import type { Config } from '../../shared/config/config.js';
import type { Db } from '../../shared/db/db.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { BillingDeps } from './application/billing.deps.js';
import { expireCheckout } from './application/expire-checkout.use-case.js';
import type { PaymentProvider } from './application/payment-provider.port.js';
import type { WebhookVerifier } from './application/webhook-verifier.port.js';
import { processProviderEvent } from './application/process-provider-event.use-case.js';
import { reconcileEvents, type ReconcileReport } from './application/reconcile-events.use-case.js';
import { refusePayment } from './application/refuse-payment.use-case.js';
import { startCheckout, type StartCheckout } from './application/start-checkout.use-case.js';
import type { ReferenceKind } from './domain/billing.entity.js';
import {
  BILLING_EVENTS,
  type PaymentRefusalRequestedPayload,
  type StripeEventReceivedPayload,
} from './domain/billing.events.js';
import { createBillingTransactionRepository } from './infrastructure/billing-transaction.repository.pg.js';
import { createCheckoutSessionRepository } from './infrastructure/checkout-session.repository.pg.js';
import { createLocalProvider } from './infrastructure/local.provider.js';
import { createPaymentIntentRepository } from './infrastructure/payment-intent.repository.pg.js';
import { createProviderEventRepository } from './infrastructure/provider-event.repository.pg.js';
import { createRefundRequestRepository } from './infrastructure/refund-request.repository.pg.js';
import { createStripeProvider } from './infrastructure/stripe.provider.js';
import { createStripeWebhookVerifier } from './infrastructure/stripe-webhook.verifier.js';
import { billingHttp, type BillingOperations } from './transport/billing.http.js';
import {
  createDevCheckoutHandler,
  type DevCheckoutHandler,
} from './transport/dev-checkout.http.js';

/** What Packs and Subscriptions use to take money: a checkout session for one of their records. */
export interface BillingCheckout {
  start(req: StartCheckout): Promise<{ id: string; url: string }>;
  /** Tells the provider about a client's change to a subscription (idempotent on `idempotencyKey`). */
  updateSubscription(req: {
    providerSubscriptionId: string;
    change: 'cancel_at_period_end' | 'pause' | 'resume';
    idempotencyKey: string;
  }): Promise<void>;
  /** Closes the open checkout session of a record its owner cancelled, so it can no longer be paid. */
  expire(reference: { referenceKind: ReferenceKind; referenceId: string }): Promise<void>;
}

export interface BillingModule {
  readonly http: BillingOperations;
  /**
   * The local provider's checkout page, to put in front of BalanceGuard (it is not part of the
   * contract); null in production and with Stripe.
   */
  readonly devCheckout: DevCheckoutHandler | null;
  /** For Packs and Subscriptions. */
  readonly checkout: BillingCheckout;
  readonly provider: PaymentProvider;
  /** Register with the outbox relay: turns stored provider events into billing facts. */
  readonly consumers: readonly EventConsumer[];
  /** Replays provider events since `since` that were never stored (the reconcile CLI). */
  reconcile(since: Date): Promise<ReconcileReport>;
  /** The API's own URL once it listens: where the local provider delivers its webhooks. */
  setSelfUrl(url: string): void;
}

export interface BillingModuleDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Pick<
    Config,
    | 'env'
    | 'stripeSecretKey'
    | 'stripeWebhookSecret'
    | 'stripeApiHost'
    | 'stripeApiPort'
    | 'stripeApiProtocol'
    | 'stripeMaxNetworkRetries'
    | 'publicApiUrl'
    | 'origins'
  >;
  /** Tests inject a provider (e.g. Stripe pointed at a fake server). */
  provider?: PaymentProvider;
  verifier?: WebhookVerifier;
}

/** Billing's outbox consumers: recorded provider events, and refusals the provider must be told. */
function billingConsumers(
  billingDeps: BillingDeps,
  clock: BillingModuleDeps['clock'],
): EventConsumer[] {
  const consumer: EventConsumer = {
    name: 'billing.provider-events',
    types: [BILLING_EVENTS.stripeEventReceived],
    async handle(event, tx) {
      const { stripeEventId } = event.payload as StripeEventReceivedPayload;
      await processProviderEvent(billingDeps, billingDeps.uow.join(tx), stripeEventId, clock.now());
    },
  };

  // Provider calls inside the relay's transaction: keyed by BK's ids, so a retried event repeats none.
  const refusals: EventConsumer = {
    name: 'billing.payment-refusals',
    types: [BILLING_EVENTS.paymentRefusalRequested],
    handle: (event, tx) =>
      refusePayment(
        billingDeps,
        billingDeps.uow.join(tx),
        event.payload as PaymentRefusalRequestedPayload,
        {
          now: clock.now(),
          eventId: event.id,
        },
      ),
  };
  return [consumer, refusals];
}

export function createBillingModule(deps: BillingModuleDeps): BillingModule {
  const { db, clock, log, config } = deps;
  // Its checkout page grants credits without payment: whatever the config says, never in production.
  if (config.env === 'production' && !deps.provider && !config.stripeSecretKey)
    throw new Error('production never runs the local payment provider: set STRIPE_SECRET_KEY');
  const local =
    deps.provider || config.stripeSecretKey
      ? null
      : createLocalProvider({
          db,
          clock,
          log,
          webhookSecret: config.stripeWebhookSecret,
          publicApiUrl: config.publicApiUrl,
        });
  const provider: PaymentProvider =
    deps.provider ??
    local ??
    createStripeProvider({
      secretKey: config.stripeSecretKey!,
      maxNetworkRetries: config.stripeMaxNetworkRetries,
      host: config.stripeApiHost,
      port: config.stripeApiPort,
      protocol: config.stripeApiProtocol,
    });
  const returnUrl = config.origins.client[0] ?? config.publicApiUrl;
  const billingDeps: BillingDeps = {
    uow: createUnitOfWork(db, (queryable) => ({
      events: createProviderEventRepository(queryable),
      sessions: createCheckoutSessionRepository(queryable),
      transactions: createBillingTransactionRepository(queryable),
      intents: createPaymentIntentRepository(queryable),
      refunds: createRefundRequestRepository(queryable),
    })),
    provider,
    verifier: deps.verifier ?? createStripeWebhookVerifier(config.stripeWebhookSecret),
    returnUrl,
  };

  return {
    http: billingHttp(billingDeps),
    devCheckout: createDevCheckoutHandler({
      local,
      production: config.env === 'production',
      returnUrl,
    }),
    checkout: {
      start: (req) => startCheckout(billingDeps, req, { now: clock.now() }),
      updateSubscription: (req) => provider.updateSubscription(req),
      expire: (reference) => expireCheckout(billingDeps, reference),
    },
    provider,
    consumers: billingConsumers(billingDeps, clock),
    reconcile: (since) => reconcileEvents(billingDeps, since, { now: clock.now() }),
    setSelfUrl: (url) => local?.setWebhookBase(url),
  };
}
