import type { Config } from '../../shared/config/config.js';
import type { Db } from '../../shared/db/db.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/time/clock.js';
import { listTransactions } from './application/list-transactions.use-case.js';
import { processProviderEvent } from './application/process-provider-event.use-case.js';
import { receiveWebhook } from './application/receive-webhook.use-case.js';
import { reconcileEvents, type ReconcileReport } from './application/reconcile-events.use-case.js';
import { expireCheckout } from './application/expire-checkout.use-case.js';
import {
  refundTransaction,
  type RefundRequested,
  type RefundTransaction,
} from './application/refund-transaction.use-case.js';
import { refusePayment } from './application/refuse-payment.use-case.js';
import { startCheckout, type StartCheckout } from './application/start-checkout.use-case.js';
import type { BillingTransaction } from './domain/billing.entity.js';
import type { ReferenceKind } from './domain/billing.entity.js';
import {
  BILLING_EVENTS,
  type PaymentRefusalRequestedPayload,
  type StripeEventReceivedPayload,
} from './domain/billing.events.js';
import type { PaymentProvider, WebhookVerifier } from './domain/payment-provider.port.js';
import { createBillingRepository } from './infrastructure/billing.repository.pg.js';
import { createLocalProvider, type LocalProvider } from './infrastructure/local.provider.js';
import { createStripeProvider } from './infrastructure/stripe.provider.js';
import { createStripeWebhookVerifier } from './infrastructure/stripe-webhook.verifier.js';

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
  readonly checkout: BillingCheckout;
  readonly provider: PaymentProvider;
  /** The local provider (development/tests), or null with Stripe. */
  readonly local: LocalProvider | null;
  /** Register with the outbox relay: turns stored provider events into billing facts. */
  readonly consumers: readonly EventConsumer[];
  receiveWebhook(
    input: { rawBody: Buffer; signature: string | undefined },
    meta: { requestId: string },
  ): Promise<{ duplicate: boolean }>;
  transactions(q: {
    cursor?: string;
    limit?: number;
  }): Promise<{ items: BillingTransaction[]; nextCursor: string | null }>;
  refund(cmd: RefundTransaction): Promise<RefundRequested>;
  /** Replays provider events since `since` that were never stored. */
  reconcile(since: Date): Promise<ReconcileReport>;
  /** The API's own URL once it listens: where the local provider delivers its webhooks. */
  setSelfUrl(url: string): void;
}

export interface BillingDeps {
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

export function createBillingModule(deps: BillingDeps): BillingModule {
  const { db, clock, log, config } = deps;
  const repo = createBillingRepository();
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
  const verifier = deps.verifier ?? createStripeWebhookVerifier(config.stripeWebhookSecret);
  const returnUrl = config.origins.client[0] ?? config.publicApiUrl;

  const consumer: EventConsumer = {
    name: 'billing.provider-events',
    types: [BILLING_EVENTS.stripeEventReceived],
    async handle(event, tx) {
      const { stripeEventId } = event.payload as StripeEventReceivedPayload;
      await processProviderEvent({ repo, provider: provider.name }, tx, stripeEventId, clock.now());
    },
  };

  // Provider calls inside the relay's transaction: keyed by BK's ids, so a retried event repeats none.
  const refusals: EventConsumer = {
    name: 'billing.payment-refusals',
    types: [BILLING_EVENTS.paymentRefusalRequested],
    handle: (event, tx) =>
      refusePayment({ repo, provider }, tx, event.payload as PaymentRefusalRequestedPayload, {
        now: clock.now(),
        eventId: event.id,
      }),
  };

  return {
    checkout: {
      start: (req) => startCheckout({ db, repo, provider, returnUrl }, req, { now: clock.now() }),
      updateSubscription: (req) => provider.updateSubscription(req),
      expire: (reference) => expireCheckout({ db, repo, provider }, reference),
    },
    provider,
    local,
    consumers: [consumer, refusals],
    receiveWebhook: (input, meta) =>
      receiveWebhook({ db, repo, verifier }, input, {
        now: clock.now(),
        requestId: meta.requestId,
      }),
    transactions: (q) => listTransactions({ db, repo }, q),
    refund: (cmd) => refundTransaction({ db, repo, provider }, cmd, { now: clock.now() }),
    reconcile: (since) => reconcileEvents({ db, repo, provider }, since, { now: clock.now() }),
    setSelfUrl: (url) => local?.setWebhookBase(url),
  };
}
