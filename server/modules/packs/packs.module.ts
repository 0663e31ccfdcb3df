import type { Db } from '../../shared/db/db.js';
import { createUnitOfWork } from '../../shared/unit-of-work/unit-of-work.js';
import type { EventConsumer } from '../../shared/events/event-consumer.js';
import type { Clock } from '../../shared/time/clock.js';
import {
  BILLING_EVENTS,
  type BillingCheckout,
  type DisputeUpdatedPayload,
  type PaymentSucceededPayload,
  type RefundRecordedPayload,
} from '../billing/index.js';
import type { CreditsLedger } from '../credits/index.js';
import { createPack, type CreatePack } from './application/manage-packs.use-case.js';
import type { PacksDeps } from './application/packs.deps.js';
import { listPacks } from './application/read-packs.use-case.js';
import { settlePurchase, type PurchaseFact } from './application/settle-purchase.use-case.js';
import { startPackCheckout } from './application/start-pack-checkout.use-case.js';
import type { Pack } from './domain/pack.entity.js';
import { createPackPurchaseRepository } from './infrastructure/pack-purchase.repository.pg.js';
import { createPackRepository } from './infrastructure/pack.repository.pg.js';
import {
  catalogueHttp,
  type CatalogueOperations,
  type CataloguePlans,
} from './transport/catalogue.http.js';
import { packsHttp, type PacksOperations } from './transport/packs.http.js';

export interface PacksModule {
  readonly http: PacksOperations & CatalogueOperations;
  /** Register with the outbox relay: payments and refunds of pack purchases move credits. */
  readonly consumers: readonly EventConsumer[];
  /** The demo catalogue and tests create packs directly. */
  create(cmd: CreatePack): Promise<Pack>;
  list(onlyActive: boolean): Promise<Pack[]>;
  /** What `POST /client/packs/{packId}/checkout` does, for tests that pay through a provider. */
  startCheckout(cmd: {
    packId: string;
    clientId: string;
  }): Promise<{ purchaseId: string; checkoutSessionId: string; checkoutUrl: string }>;
}

export interface PacksModuleDeps {
  db: Db;
  clock: Clock;
  checkout: BillingCheckout;
  credits: CreditsLedger;
  /** The active subscription plans, for the catalogue (Packs does not import Subscriptions). */
  activePlans: () => Promise<CataloguePlans>;
}

export function createPacksModule(deps: PacksModuleDeps): PacksModule {
  const { clock } = deps;
  const packsDeps: PacksDeps = {
    uow: createUnitOfWork(deps.db, (queryable) => ({
      packs: createPackRepository(queryable),
      purchases: createPackPurchaseRepository(queryable),
    })),
    checkout: deps.checkout,
    credits: deps.credits,
  };
  const consumer: EventConsumer = {
    name: 'packs.billing-facts',
    types: [
      BILLING_EVENTS.paymentSucceeded,
      BILLING_EVENTS.refundRecorded,
      BILLING_EVENTS.disputeUpdated,
    ],
    handle(event, tx) {
      const fact: PurchaseFact =
        event.type === BILLING_EVENTS.paymentSucceeded
          ? { kind: 'paid', payload: event.payload as PaymentSucceededPayload }
          : event.type === BILLING_EVENTS.refundRecorded
            ? { kind: 'refunded', payload: event.payload as RefundRecordedPayload }
            : { kind: 'disputed', payload: event.payload as DisputeUpdatedPayload };
      return settlePurchase(packsDeps, packsDeps.uow.join(tx), fact, clock.now());
    },
  };
  return {
    http: { ...packsHttp(packsDeps), ...catalogueHttp(packsDeps, deps.activePlans) },
    consumers: [consumer],
    create: (cmd) => createPack(packsDeps, cmd, clock.now()),
    list: (onlyActive) => listPacks(packsDeps, onlyActive),
    startCheckout: (cmd) => startPackCheckout(packsDeps, cmd, clock.now()),
  };
}
