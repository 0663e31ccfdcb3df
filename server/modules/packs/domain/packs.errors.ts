import { AppError } from '../../../shared/errors/app-error.js';

export class PackNotFound extends AppError {
  constructor() {
    super('PACKS.NOT_FOUND');
  }
}
export class PackRetired extends AppError {
  constructor() {
    super('PACKS.RETIRED');
  }
}
