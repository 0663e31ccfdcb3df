import type { PacksModule } from '../modules/packs/index.js';
import type { SubscriptionsModule } from '../modules/subscriptions/index.js';

/**
 * Development only: a small catalogue so a fresh `npm start` has packs to buy and a plan to
 * subscribe to. Leaves an existing catalogue alone.
 */
export async function seedDemoCatalogue(
  packs: PacksModule,
  subscriptions: SubscriptionsModule,
): Promise<void> {
  if ((await packs.list(false)).length === 0) {
    await packs.create({
      name: 'Five lunches',
      description: 'Five chef-made lunches, delivered chilled.',
      meals: 5,
      priceMinor: 4750,
      currency: 'gbp',
    });
    await packs.create({
      name: 'Ten lunches',
      description: 'Ten chef-made lunches, delivered weekly.',
      meals: 10,
      priceMinor: 8900,
      currency: 'gbp',
    });
  }
  if ((await subscriptions.plans(false)).length === 0) {
    await subscriptions.createPlan({
      name: 'Weekday lunches',
      description: 'Five lunches every week.',
      interval: 'week',
      mealsPerInterval: 5,
      priceMinor: 4500,
      currency: 'gbp',
    });
  }
}
