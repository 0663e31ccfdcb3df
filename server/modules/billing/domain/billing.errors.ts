import { AppError } from '../../../shared/errors/app-error.js';

export class SignatureInvalid extends AppError {
  constructor(detail: string) {
    super('BILLING.SIGNATURE_INVALID', { detail });
  }
}
export class TransactionNotFound extends AppError {
  constructor() {
    super('BILLING.TRANSACTION_NOT_FOUND');
  }
}
export class RefundNotAllowed extends AppError {
  constructor(detail: string) {
    super('BILLING.REFUND_NOT_ALLOWED', { detail });
  }
}
export class ProviderUnavailable extends AppError {
  constructor(cause: unknown) {
    super('BILLING.PROVIDER_UNAVAILABLE', { retryAfterSeconds: 30, cause });
  }
}
