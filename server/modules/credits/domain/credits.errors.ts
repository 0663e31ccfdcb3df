import { AppError } from '../../../shared/errors/app-error.js';

/** The balance is lower than the meals asked for; nothing was spent. */
export class InsufficientCredits extends AppError {
  constructor(balance: number, wanted: number) {
    super('CREDITS.INSUFFICIENT', {
      detail: `The balance is ${balance}; ${wanted} ${wanted === 1 ? 'meal was' : 'meals were'} asked for.`,
    });
  }
}
