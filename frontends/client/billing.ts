import { ApiError } from '../lib/problem.js';
import { announce } from '../lib/a11y/index.js';
import { mustClass } from '../lib/css-modules.js';
import { formatMoney, formatPerMeal } from '../lib/money.js';
import type {
  ClientBillingApi,
  Pack,
  Plan,
  Subscription,
  SubscriptionAction,
} from '../lib/billing-api.js';
import { liveSubscriptions, subscriptionActions } from '../lib/billing-logic.js';
import { append, el, formatDateTime, uniqueId, type Child } from '../ui/dom.js';
import { badge, button, card, placeholder, ui, uis } from '../ui/components.js';
import { pageHead, type RouteContext } from '../ui/app-shell.js';
import styles from './billing.module.css';

const second = (name: string): string => mustClass(styles, name);

const errorText = (err: unknown): string =>
  err instanceof ApiError ? err.userMessage : err instanceof Error ? err.message : String(err);

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
    if (catalogue.packs.length > 0) {
      main.append(
        el('h2', { class: ui('sectionTitle') }, 'Meal packs'),
        el('p', { class: ui('muted') }, 'Pay once, use the meals whenever you like.'),
        el(
          'ul',
          { class: second('offers'), 'aria-label': 'Meal packs' },
          ...catalogue.packs.map((pack: Pack) =>
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
      );
    }
    if (catalogue.plans.length > 0) {
      main.append(
        el('h2', { class: ui('sectionTitle') }, 'Subscriptions'),
        el(
          'p',
          { class: ui('muted') },
          'Fresh credits every period. Pause or cancel from your dashboard at any time.',
        ),
        el(
          'ul',
          { class: second('offers'), 'aria-label': 'Subscription plans' },
          ...catalogue.plans.map((plan: Plan) =>
            offerCard({
              kind: 'Subscription',
              name: plan.name,
              price: `${formatMoney(plan.priceMinor, plan.currency)} / ${plan.interval}`,
              per: formatPerMeal(plan.priceMinor, plan.mealsPerInterval, plan.currency),
              detail: `${plan.mealsPerInterval} meals every ${plan.interval}`,
              description: plan.description,
              action: live.has(plan.id)
                ? el(
                    'div',
                    { class: second('offerAction') },
                    el('p', { class: ui('muted') }, 'You are subscribed to this plan.'),
                    el(
                      'a',
                      { class: uis('button', 'secondary'), href: '#/' },
                      'Manage on the dashboard',
                    ),
                  )
                : checkoutAction(
                    'Subscribe',
                    `Subscribe to ${plan.name} for ${formatMoney(plan.priceMinor, plan.currency)} a ${plan.interval}`,
                    () => api.startSubscription(plan.id),
                  ),
            }),
          ),
        ),
      );
    }
  };
}

const STATUS_TEXT: Record<Subscription['status'], string> = {
  incomplete: 'Waiting for the first payment to be confirmed.',
  active: 'Active: credits arrive with each paid period.',
  past_due: 'The last payment failed; we will retry it. Please check your card.',
  paused: 'Paused: no payments and no new credits until you resume.',
  canceled: 'Ended.',
  unpaid: 'Unpaid: payments failed; contact us to restart it.',
};

const ACTION_TEXT: Record<
  SubscriptionAction,
  { button: string; question: string; confirm: string; done: string }
> = {
  pause: {
    button: 'Pause',
    question: 'Pause your subscription? No payments and no new credits until you resume.',
    confirm: 'Yes, pause',
    done: 'Your subscription is paused.',
  },
  resume: {
    button: 'Resume',
    question: 'Resume your subscription? Payments and credits start again.',
    confirm: 'Yes, resume',
    done: 'Your subscription is active again.',
  },
  cancel: {
    button: 'Cancel at period end',
    question:
      'Cancel your subscription? It stays active until the end of the current period, then stops.',
    confirm: 'Yes, cancel',
    done: 'Your subscription will end at the end of this period.',
  },
};

/** What the card says about a subscription: plan, price, status and the period's end. */
function summaryLines(text: Subscription, plan: Plan | undefined): Child[] {
  const when = text.currentPeriodEnd ? formatDateTime(text.currentPeriodEnd) : null;
  return [
    el(
      'p',
      { class: second('row') },
      el('strong', null, plan?.name ?? 'Your plan'),
      badge(text.status),
    ),
    plan
      ? el(
          'p',
          { class: ui('muted') },
          `${plan.mealsPerInterval} meals every ${plan.interval} · ${formatMoney(plan.priceMinor, plan.currency)} / ${plan.interval}`,
        )
      : null,
    el(
      'p',
      null,
      text.cancelAtPeriodEnd && text.status !== 'canceled'
        ? 'Cancelled: it stays active until the end of this period.'
        : STATUS_TEXT[text.status],
    ),
    when
      ? el(
          'p',
          null,
          text.cancelAtPeriodEnd
            ? `Ends on ${when}. No further payments.`
            : text.status === 'paused'
              ? `Period ends ${when}.`
              : `Next period starts ${when}.`,
        )
      : null,
  ];
}

/** The question for `action`, an optional reason (not for resume), and yes / keep. */
function confirmBox(
  action: SubscriptionAction,
  reason: HTMLInputElement,
  yes: HTMLButtonElement,
  no: HTMLButtonElement,
): HTMLElement {
  const target = ACTION_TEXT[action];
  return el(
    'div',
    { class: second('confirm'), role: 'group', 'aria-label': `Confirm: ${target.button}` },
    el('p', null, target.question),
    action === 'resume'
      ? null
      : el(
          'div',
          { class: ui('field') },
          el(
            'label',
            { class: ui('label'), for: reason.id },
            'Reason',
            el('span', { class: ui('optional') }, ' (optional)'),
          ),
          reason,
        ),
    el('div', { class: second('row') }, yes, no),
  );
}

/** The dashboard's subscription card: status, next period, and pause/resume/cancel with a confirmation. */
export function subscriptionCard(
  api: ClientBillingApi,
  subs: Subscription[] | null,
  plans: Plan[],
): HTMLElement {
  const title = el('h2', { class: ui('cardTitle') }, 'Subscription');
  if (subs === null)
    return card(
      title,
      el('p', { class: ui('muted') }, 'Your subscription could not be loaded right now.'),
    );
  const current = liveSubscriptions(subs)[0];
  if (!current) {
    return card(
      title,
      el(
        'p',
        { class: ui('muted') },
        'No subscription yet. A weekly plan keeps your credits topped up.',
      ),
      el('a', { class: uis('button', 'small'), href: '#/buy' }, 'See plans'),
    );
  }
  const body = el('div', { class: second('subBody'), dataset: { subscription: '' } });
  const status = el('p', { class: ui('success'), role: 'status', 'aria-live': 'polite' });
  const render = (text: Subscription, focusFirst = false): void => {
    const plan = plans.find((plan) => plan.id === text.planId);
    const alert = el('p', { class: second('alert'), role: 'alert' });
    const actions = el('div', { class: second('row') });
    const showActions = (): void => {
      actions.replaceChildren(
        ...subscriptionActions(text).map((action) => {
          const target = ACTION_TEXT[action];
          const btn = button(target.button, {
            variant: action === 'cancel' ? 'secondary' : 'primary',
            small: true,
          });
          btn.addEventListener('click', () => confirmStep(action));
          return btn;
        }),
      );
    };
    const confirmStep = (action: SubscriptionAction): void => {
      const target = ACTION_TEXT[action];
      const reasonId = uniqueId('sub-reason');
      const reason = el('input', {
        id: reasonId,
        name: 'reason',
        class: ui('input'),
        maxlength: 500,
        autocomplete: 'off',
      });
      const yes = button(target.confirm, {
        variant: action === 'cancel' ? 'danger' : 'primary',
        small: true,
      });
      const no = button('Keep it as it is', { variant: 'ghost', small: true });
      const box = confirmBox(action, reason, yes, no);
      actions.replaceChildren(box);
      yes.focus();
      no.addEventListener('click', () => {
        showActions();
        (actions.querySelector('button') as HTMLElement | null)?.focus();
      });
      yes.addEventListener('click', () => {
        void (async () => {
          const why = reason.value.trim();
          if (why && why.length < 3) {
            alert.textContent = 'A reason needs at least 3 characters, or leave it empty.';
            reason.setAttribute('aria-invalid', 'true');
            reason.focus();
            return;
          }
          yes.disabled = true;
          no.disabled = true;
          alert.textContent = '';
          try {
            const updated = await api.subscriptionAction(action, text.id, why || undefined);
            render(updated, true);
            status.textContent = target.done;
          } catch (err) {
            alert.textContent = `That did not work: ${errorText(err)}`;
            yes.disabled = false;
            no.disabled = false;
          }
        })();
      });
    };
    showActions();
    body.replaceChildren();
    append(body, ...summaryLines(text, plan), alert, actions);
    if (focusFirst) ((actions.querySelector('button') as HTMLElement | null) ?? title).focus?.();
  };
  title.tabIndex = -1;
  render(current);
  return card(title, body, status);
}
