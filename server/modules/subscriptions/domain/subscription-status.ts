export type SubscriptionStatus =
  'incomplete' | 'active' | 'past_due' | 'paused' | 'canceled' | 'unpaid';

/** Every transition BK accepts, from the provider or the client. `canceled` is final. */
export const TRANSITIONS: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  incomplete: ['active', 'past_due', 'canceled'],
  active: ['past_due', 'unpaid', 'paused', 'canceled'],
  past_due: ['active', 'unpaid', 'paused', 'canceled'],
  unpaid: ['active', 'past_due', 'canceled'],
  paused: ['active', 'past_due', 'canceled'],
  canceled: [],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Stripe's subscription status (and pause_collection) in BK's terms. */
export function fromProviderStatus(status: string, paused: boolean): SubscriptionStatus {
  switch (status) {
    case 'active':
    case 'trialing':
      return paused ? 'paused' : 'active';
    case 'past_due':
      return 'past_due';
    case 'unpaid':
      return 'unpaid';
    case 'paused':
      return 'paused';
    case 'canceled':
    case 'incomplete_expired':
      return 'canceled';
    default:
      return 'incomplete';
  }
}
