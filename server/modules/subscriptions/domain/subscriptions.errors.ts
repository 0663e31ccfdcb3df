import { AppError } from '../../../shared/errors/app-error.js';

export class PlanNotFound extends AppError {
  constructor() {
    super('SUBSCRIPTIONS.PLAN_NOT_FOUND');
  }
}
export class PlanRetired extends AppError {
  constructor() {
    super('SUBSCRIPTIONS.PLAN_RETIRED');
  }
}
export class SubscriptionNotFound extends AppError {
  constructor() {
    super('SUBSCRIPTIONS.NOT_FOUND');
  }
}
export class InvalidSubscriptionTransition extends AppError {
  constructor(detail: string) {
    super('SUBSCRIPTIONS.INVALID_TRANSITION', { detail });
  }
}
export class AlreadySubscribed extends AppError {
  constructor() {
    super('SUBSCRIPTIONS.ALREADY_SUBSCRIBED');
  }
}
