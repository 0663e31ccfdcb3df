import type { Db } from '../../shared/db/db.js';
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
import {
  createPack,
  retirePack,
  updatePack,
  type CreatePack,
  type UpdatePack,
} from './application/manage-packs.use-case.js';
import { settlePurchase, type PurchaseFact } from './application/settle-purchase.use-case.js';
import { startPackCheckout } from './application/start-pack-checkout.use-case.js';
import type { Pack, PackPurchase } from './domain/pack.entity.js';
import { createPacksRepository } from './infrastructure/packs.repository.pg.js';

export interface PacksModule {
  /** Register with the outbox relay: payments and refunds of pack purchases move credits. */
  readonly consumers: readonly EventConsumer[];
  create(cmd: CreatePack): Promise<Pack>;
  update(id: string, cmd: UpdatePack): Promise<Pack>;
  retire(id: string): Promise<Pack>;
  list(onlyActive: boolean): Promise<Pack[]>;
  startCheckout(cmd: {
    packId: string;
    clientId: string;
  }): Promise<{ purchaseId: string; checkoutSessionId: string; checkoutUrl: string }>;
  purchases(clientId: string): Promise<PackPurchase[]>;
}

export function createPacksModule(deps: {
  db: Db;
  clock: Clock;
  checkout: BillingCheckout;
  credits: CreditsLedger;
}): PacksModule {
  const repo = createPacksRepository();
  const { db, clock } = deps;
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
      return settlePurchase({ repo, credits: deps.credits }, tx, fact, clock.now());
    },
  };
  return {
    consumers: [consumer],
    create: (cmd) => createPack({ db, repo }, cmd, clock.now()),
    update: (id, cmd) => updatePack({ db, repo }, id, cmd, clock.now()),
    retire: (id) => retirePack({ db, repo }, id, clock.now()),
    list: (onlyActive) => repo.listPacks(db, onlyActive),
    startCheckout: (cmd) =>
      startPackCheckout({ db, repo, checkout: deps.checkout }, cmd, clock.now()),
    purchases: (clientId) => repo.listPurchases(db, clientId),
  };
}
