import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Clock } from '../../shared/time/clock.js';
import {
  BILLING_EVENTS,
  type BillingCheckout,
  type DisputeUpdatedPayload,
  type InvoicePaidPayload,
  type RefundRecordedPayload,
  type SubscriptionCheckoutCompletedPayload,
  type SubscriptionUpdatedPayload,
} from '../billing/index.js';
import type { CreditsLedger } from '../credits/index.js';
import { applyBillingFact, type BillingFact } from './application/apply-billing-fact.use-case.js';
import {
  changeSubscription,
  type ClientChange,
} from './application/change-subscription.use-case.js';
import { createPlan, type CreatePlan } from './application/manage-plans.use-case.js';
import {
  listPlans,
  listSubscriptions,
  listTransitions,
} from './application/read-subscriptions.use-case.js';
import { startSubscription } from './application/start-subscription.use-case.js';
import type { SubscriptionsDeps } from './application/subscriptions.deps.js';
import type { Plan, Subscription, SubscriptionTransition } from './domain/subscription.entity.js';
import { createInvoiceGrantRepository } from './infrastructure/invoice-grant.repository.pg.js';
import { createPlanRepository } from './infrastructure/plan.repository.pg.js';
import { createSubscriptionRepository } from './infrastructure/subscription.repository.pg.js';
import { subscriptionsHttp, type SubscriptionsOperations } from './transport/subscriptions.http.js';

export interface SubscriptionsModule {
  readonly http: SubscriptionsOperations;
  /** Register with the outbox relay: checkout, invoices and provider states drive the state machine. */
  readonly consumers: readonly EventConsumer[];
  /** The catalogue (Packs shows the active ones) and the demo seed read the plans. */
  plans(onlyActive: boolean): Promise<Plan[]>;
  /** The demo catalogue and tests create plans directly. */
  createPlan(cmd: CreatePlan): Promise<Plan>;
  /** What the client's operations do, for tests that pay through a provider. */
  subscribe(cmd: { planId: string; clientId: string }): ReturnType<typeof startSubscription>;
  change(cmd: {
    subscriptionId: string;
    clientId: string;
    change: ClientChange;
    reason?: string;
  }): Promise<Subscription>;
  list(clientId: string): Promise<Subscription[]>;
  /** The audit trail of one subscription, oldest first. */
  transitions(subscriptionId: string): Promise<SubscriptionTransition[]>;
}

export interface SubscriptionsModuleDeps {
  db: Db;
  clock: Clock;
  checkout: BillingCheckout;
  credits: CreditsLedger;
}

/** Billing's facts as the subscription state machine reads them. */
function billingFact(type: string, eventId: string, payload: unknown): BillingFact {
  switch (type) {
    case BILLING_EVENTS.invoicePaid:
      return { kind: 'invoice_paid', eventId, payload: payload as InvoicePaidPayload };
    case BILLING_EVENTS.subscriptionCheckoutCompleted:
      return {
        kind: 'checkout_completed',
        eventId,
        payload: payload as SubscriptionCheckoutCompletedPayload,
      };
    case BILLING_EVENTS.subscriptionUpdated:
      return { kind: 'provider_state', eventId, payload: payload as SubscriptionUpdatedPayload };
    case BILLING_EVENTS.refundRecorded:
      return { kind: 'refunded', eventId, payload: payload as RefundRecordedPayload };
    case BILLING_EVENTS.disputeUpdated:
      return { kind: 'disputed', eventId, payload: payload as DisputeUpdatedPayload };
    default:
      throw new Error(`subscriptions does not consume ${type}`);
  }
}

export function createSubscriptionsModule(deps: SubscriptionsModuleDeps): SubscriptionsModule {
  const { clock } = deps;
  const subscriptionsDeps: SubscriptionsDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({
      plans: createPlanRepository(queryable),
      subscriptions: createSubscriptionRepository(queryable),
      grants: createInvoiceGrantRepository(queryable),
    })),
    checkout: deps.checkout,
    credits: deps.credits,
  };
  const consumer: EventConsumer = {
    name: 'subscriptions.billing-facts',
    types: [
      BILLING_EVENTS.subscriptionCheckoutCompleted,
      BILLING_EVENTS.invoicePaid,
      BILLING_EVENTS.subscriptionUpdated,
      BILLING_EVENTS.refundRecorded,
      BILLING_EVENTS.disputeUpdated,
    ],
    handle(event, tx) {
      const eventId = event.metadata.correlationId ?? event.id;
      const fact = billingFact(event.type, eventId, event.payload);
      return applyBillingFact(subscriptionsDeps, subscriptionsDeps.uow.join(tx), fact, clock.now());
    },
  };
  return {
    http: subscriptionsHttp(subscriptionsDeps),
    consumers: [consumer],
    plans: (onlyActive) => listPlans(subscriptionsDeps, onlyActive),
    createPlan: (cmd) => createPlan(subscriptionsDeps, cmd, clock.now()),
    subscribe: (cmd) => startSubscription(subscriptionsDeps, cmd, clock.now()),
    change: (cmd) => changeSubscription(subscriptionsDeps, cmd, clock.now()),
    list: (clientId) => listSubscriptions(subscriptionsDeps, clientId),
    transitions: (id) => listTransitions(subscriptionsDeps, id),
  };
}
