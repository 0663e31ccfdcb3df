import { AppError } from '../../../shared/errors/app-error.js';

/** An event a consumer gave up on, as the contract's `DeadLetter` schema shows it. */
export interface DeadLetterView {
  id: string;
  eventId: string;
  eventType: string;
  consumer: string;
  attempts: number;
  lastError: string;
  failedAt: string;
  replayedAt: string | null;
}

export class DeadLetterNotFound extends AppError {
  constructor() {
    super('EVENTS.DEAD_LETTER_NOT_FOUND');
  }
}

export class DeadLetterAlreadyReplayed extends AppError {
  constructor() {
    super('EVENTS.ALREADY_REPLAYED', {
      detail: 'A dead letter is replayed once; a failed replay is a new dead letter.',
    });
  }
}
