import { AppError } from '../../../shared/errors/app-error.js';

export class EnquiryNotFound extends AppError {
  constructor() {
    super('ENQUIRY.NOT_FOUND');
  }
}

export class InvalidEnquiryTransition extends AppError {
  constructor(from: string, to: string) {
    super('ENQUIRY.INVALID_TRANSITION', {
      detail: `An enquiry in status ${from} cannot move to ${to}.`,
    });
  }
}
