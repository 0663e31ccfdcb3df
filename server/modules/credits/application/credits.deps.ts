import type { UnitOfWork } from '../../../shared/unit-of-work/unit-of-work.js';
import type { CreditsRepository } from './credits.repository.port.js';

export interface CreditsRepos {
  credits: CreditsRepository;
}

export interface CreditsDeps {
  uow: UnitOfWork<CreditsRepos>;
}
