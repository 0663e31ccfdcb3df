import { announce } from '../lib/a11y/index.js';
import { mustClass } from '../lib/css-modules.js';
import { formatMoney, formatPerMeal } from '../lib/money.js';
import type { ClientBillingApi, Pack, Plan, Subscription } from '../lib/billing-api.js';
import { liveSubscriptions } from '../lib/billing-logic.js';
import { el } from '../ui/dom.js';
import { button, placeholder, ui, uis } from '../ui/components.js';
import { pageHead, type RouteContext } from '../ui/app-shell.js';
import { errorText } from './billing.js';
import styles from './billing.module.css';

const second = (name: string): string => mustClass(styles, name);

/** Sends the browser to the provider's checkout page (the local one in development). */
function goToCheckout(url: string): void {
  window.location.assign(url);
}

function offerCard(option: {
  kind: string;
  name: string;
  price: string;
  per: string;
  detail: string;
  description: string | null;
  action: HTMLElement;
}): HTMLElement {
  return el(
    'li',
    null,
    el(
      'article',
      {
        class: `${second('offer')} ${ui('offerCard')}`,
        'aria-label': `${option.kind}: ${option.name}`,
      },
      el('span', { class: ui('eyebrow') }, option.kind),
      el('h3', { class: ui('offerName') }, option.name),
      el('p', { class: ui('offerPrice') }, option.price),
      el(
        'p',
        { class: ui('offerDetail') },
        option.detail,
        el('br'),
        el('span', { class: ui('muted') }, option.per),
      ),
      option.description ? el('p', { class: ui('muted') }, option.description) : el('span'),
      option.action,
    ),
  );
}

/** A button that starts a checkout; while it waits it says so, and a failure appears right under it. */
function checkoutAction(
  label: string,
  accessible: string,
  start: () => Promise<{ checkoutUrl: string }>,
): HTMLElement {
  const alert = el('p', { class: second('alert'), role: 'alert' });
  const btn = button(label);
  btn.setAttribute('aria-label', accessible);
  btn.addEventListener('click', () => {
    void (async () => {
      btn.disabled = true;
      alert.textContent = '';
      btn.textContent = 'Opening checkout…';
      try {
        const { checkoutUrl } = await start();
        announce('Opening the secure checkout.');
        goToCheckout(checkoutUrl);
      } catch (err) {
        alert.textContent = errorText(err);
        btn.textContent = label;
        btn.disabled = false;
      }
    })();
  });
  return el('div', { class: second('offerAction') }, btn, alert);
}

function packOffers(api: ClientBillingApi, packs: Pack[]): HTMLElement[] {
  return [
    el('h2', { class: ui('sectionTitle') }, 'Meal packs'),
    el('p', { class: ui('muted') }, 'Pay once, use the meals whenever you like.'),
    el(
      'ul',
      { class: second('offers'), 'aria-label': 'Meal packs' },
      ...packs.map((pack: Pack) =>
        offerCard({
          kind: 'Pack',
          name: pack.name,
          price: formatMoney(pack.priceMinor, pack.currency),
          per: formatPerMeal(pack.priceMinor, pack.meals, pack.currency),
          detail: `${pack.meals} meals, once`,
          description: pack.description,
          action: checkoutAction(
            'Buy this pack',
            `Buy ${pack.name} for ${formatMoney(pack.priceMinor, pack.currency)}`,
            () => api.startPackCheckout(pack.id),
          ),
        }),
      ),
    ),
  ];
}

function planAction(api: ClientBillingApi, plan: Plan, subscribed: boolean): HTMLElement {
  return subscribed
    ? el(
        'div',
        { class: second('offerAction') },
        el('p', { class: ui('muted') }, 'You are subscribed to this plan.'),
        el('a', { class: uis('button', 'secondary'), href: '#/' }, 'Manage on the dashboard'),
      )
    : checkoutAction(
        'Subscribe',
        `Subscribe to ${plan.name} for ${formatMoney(plan.priceMinor, plan.currency)} a ${plan.interval}`,
        () => api.startSubscription(plan.id),
      );
}

function planOffers(api: ClientBillingApi, plans: Plan[], live: Set<string>): HTMLElement[] {
  return [
    el('h2', { class: ui('sectionTitle') }, 'Subscriptions'),
    el(
      'p',
      { class: ui('muted') },
      'Fresh credits every period. Pause or cancel from your dashboard at any time.',
    ),
    el(
      'ul',
      { class: second('offers'), 'aria-label': 'Subscription plans' },
      ...plans.map((plan: Plan) =>
        offerCard({
          kind: 'Subscription',
          name: plan.name,
          price: `${formatMoney(plan.priceMinor, plan.currency)} / ${plan.interval}`,
          per: formatPerMeal(plan.priceMinor, plan.mealsPerInterval, plan.currency),
          detail: `${plan.mealsPerInterval} meals every ${plan.interval}`,
          description: plan.description,
          action: planAction(api, plan, live.has(plan.id)),
        }),
      ),
    ),
  ];
}

/** Buy meals: every active pack and plan, with the price per meal, one clear button each. */
export function buyMealsView(api: ClientBillingApi) {
  return async ({ main }: RouteContext): Promise<void> => {
    const [catalogue, subs] = await Promise.all([
      api.catalogue(),
      api.subscriptions().catch(() => [] as Subscription[]),
    ]);
    const live = new Set(liveSubscriptions(subs).map((text) => text.planId));
    main.append(
      pageHead('Buy meals', el('a', { href: '#/' }, '← Dashboard')),
      el(
        'p',
        { class: ui('muted') },
        'Pay securely; your meal credits appear on your dashboard as soon as the payment is confirmed.',
      ),
    );
    if (catalogue.packs.length === 0 && catalogue.plans.length === 0) {
      main.append(
        placeholder(
          'Nothing on offer right now',
          'Check back soon',
          'New packs and plans are on their way. Your account manager can help in the meantime.',
        ),
      );
      return;
    }
    if (catalogue.packs.length > 0) main.append(...packOffers(api, catalogue.packs));
    if (catalogue.plans.length > 0) main.append(...planOffers(api, catalogue.plans, live));
  };
}
