import type { Db } from '../../shared/db/db.js';
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
import {
  createPlan,
  retirePlan,
  updatePlan,
  type CreatePlan,
  type UpdatePlan,
} from './application/manage-plans.use-case.js';
import { startSubscription } from './application/start-subscription.use-case.js';
import type { Plan, Subscription, SubscriptionTransition } from './domain/subscription.entity.js';
import { createSubscriptionsRepository } from './infrastructure/subscriptions.repository.pg.js';

export interface SubscriptionsModule {
  /** Register with the outbox relay: checkout, invoices and provider states drive the state machine. */
  readonly consumers: readonly EventConsumer[];
  createPlan(cmd: CreatePlan): Promise<Plan>;
  updatePlan(id: string, cmd: UpdatePlan): Promise<Plan>;
  retirePlan(id: string): Promise<Plan>;
  plans(onlyActive: boolean): Promise<Plan[]>;
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

export function createSubscriptionsModule(deps: {
  db: Db;
  clock: Clock;
  checkout: BillingCheckout;
  credits: CreditsLedger;
}): SubscriptionsModule {
  const repo = createSubscriptionsRepository();
  const { db, clock, checkout } = deps;
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
      const facts: Record<string, (payload: unknown) => BillingFact> = {
        [BILLING_EVENTS.invoicePaid]: (p) => ({
          kind: 'invoice_paid',
          eventId,
          payload: p as InvoicePaidPayload,
        }),
        [BILLING_EVENTS.subscriptionCheckoutCompleted]: (p) => ({
          kind: 'checkout_completed',
          eventId,
          payload: p as SubscriptionCheckoutCompletedPayload,
        }),
        [BILLING_EVENTS.subscriptionUpdated]: (p) => ({
          kind: 'provider_state',
          eventId,
          payload: p as SubscriptionUpdatedPayload,
        }),
        [BILLING_EVENTS.refundRecorded]: (p) => ({
          kind: 'refunded',
          eventId,
          payload: p as RefundRecordedPayload,
        }),
        [BILLING_EVENTS.disputeUpdated]: (p) => ({
          kind: 'disputed',
          eventId,
          payload: p as DisputeUpdatedPayload,
        }),
      };
      return applyBillingFact(
        { repo, credits: deps.credits },
        tx,
        facts[event.type]!(event.payload),
        clock.now(),
      );
    },
  };
  return {
    consumers: [consumer],
    createPlan: (cmd) => createPlan({ db, repo }, cmd, clock.now()),
    updatePlan: (id, cmd) => updatePlan({ db, repo }, id, cmd, clock.now()),
    retirePlan: (id) => retirePlan({ db, repo }, id, clock.now()),
    plans: (onlyActive) => repo.listPlans(db, onlyActive),
    subscribe: (cmd) => startSubscription({ db, repo, checkout }, cmd, clock.now()),
    change: (cmd) => changeSubscription({ db, repo, checkout }, cmd, clock.now()),
    list: (clientId) => repo.listSubscriptions(db, clientId),
    transitions: (id) => repo.transitions(db, id),
  };
}
