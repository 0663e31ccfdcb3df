import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { BillingCheckout } from '../../billing/index.js';
import type { CreditsLedger } from '../../credits/index.js';
import type { PackPurchaseRepository } from './pack-purchase.repository.port.js';
import type { PackRepository } from './pack.repository.port.js';

export interface PacksRepos {
  packs: PackRepository;
  purchases: PackPurchaseRepository;
}

export interface PacksDeps {
  uow: UnitOfWork<PacksRepos>;
  /** Billing's checkout: a purchase is paid through it. */
  checkout: BillingCheckout;
  /** Credits' ledger: a paid purchase grants its meals in the settlement's transaction. */
  credits: CreditsLedger;
}
