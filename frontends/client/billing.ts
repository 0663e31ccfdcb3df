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
import { append, h, formatDateTime, uniqueId, type Child } from '../ui/dom.js';
import { badge, button, card, placeholder, ui, uis } from '../ui/components.js';
import { pageHead, type RouteContext } from '../ui/app-shell.js';
import styles from './billing.module.css';

const b = (name: string): string => mustClass(styles, name);

const errorText = (err: unknown): string =>
  err instanceof ApiError ? err.userMessage : err instanceof Error ? err.message : String(err);

/** Sends the browser to the provider's checkout page (the local one in development). */
function goToCheckout(url: string): void {
  window.location.assign(url);
}

function offerCard(o: {
  kind: string;
  name: string;
  price: string;
  per: string;
  detail: string;
  description: string | null;
  action: HTMLElement;
}): HTMLElement {
  return h(
    'li',
    null,
    h(
      'article',
      { class: `${b('offer')} ${ui('offerCard')}`, 'aria-label': `${o.kind}: ${o.name}` },
      h('span', { class: ui('eyebrow') }, o.kind),
      h('h3', { class: ui('offerName') }, o.name),
      h('p', { class: ui('offerPrice') }, o.price),
      h(
        'p',
        { class: ui('offerDetail') },
        o.detail,
        h('br'),
        h('span', { class: ui('muted') }, o.per),
      ),
      o.description ? h('p', { class: ui('muted') }, o.description) : h('span'),
      o.action,
    ),
  );
}

/** A button that starts a checkout; while it waits it says so, and a failure appears right under it. */
function checkoutAction(
  label: string,
  accessible: string,
  start: () => Promise<{ checkoutUrl: string }>,
): HTMLElement {
  const alert = h('p', { class: b('alert'), role: 'alert' });
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
  return h('div', { class: b('offerAction') }, btn, alert);
}

/** Buy meals: every active pack and plan, with the price per meal, one clear button each. */
export function buyMealsView(api: ClientBillingApi) {
  return async ({ main }: RouteContext): Promise<void> => {
    const [catalogue, subs] = await Promise.all([
      api.catalogue(),
      api.subscriptions().catch(() => [] as Subscription[]),
    ]);
    const live = new Set(liveSubscriptions(subs).map((s) => s.planId));
    main.append(
      pageHead('Buy meals', h('a', { href: '#/' }, '← Dashboard')),
      h(
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
        h('h2', { class: ui('sectionTitle') }, 'Meal packs'),
        h('p', { class: ui('muted') }, 'Pay once, use the meals whenever you like.'),
        h(
          'ul',
          { class: b('offers'), 'aria-label': 'Meal packs' },
          ...catalogue.packs.map((p: Pack) =>
            offerCard({
              kind: 'Pack',
              name: p.name,
              price: formatMoney(p.priceMinor, p.currency),
              per: formatPerMeal(p.priceMinor, p.meals, p.currency),
              detail: `${p.meals} meals, once`,
              description: p.description,
              action: checkoutAction(
                'Buy this pack',
                `Buy ${p.name} for ${formatMoney(p.priceMinor, p.currency)}`,
                () => api.startPackCheckout(p.id),
              ),
            }),
          ),
        ),
      );
    }
    if (catalogue.plans.length > 0) {
      main.append(
        h('h2', { class: ui('sectionTitle') }, 'Subscriptions'),
        h(
          'p',
          { class: ui('muted') },
          'Fresh credits every period. Pause or cancel from your dashboard at any time.',
        ),
        h(
          'ul',
          { class: b('offers'), 'aria-label': 'Subscription plans' },
          ...catalogue.plans.map((p: Plan) =>
            offerCard({
              kind: 'Subscription',
              name: p.name,
              price: `${formatMoney(p.priceMinor, p.currency)} / ${p.interval}`,
              per: formatPerMeal(p.priceMinor, p.mealsPerInterval, p.currency),
              detail: `${p.mealsPerInterval} meals every ${p.interval}`,
              description: p.description,
              action: live.has(p.id)
                ? h(
                    'div',
                    { class: b('offerAction') },
                    h('p', { class: ui('muted') }, 'You are subscribed to this plan.'),
                    h(
                      'a',
                      { class: uis('button', 'secondary'), href: '#/' },
                      'Manage on the dashboard',
                    ),
                  )
                : checkoutAction(
                    'Subscribe',
                    `Subscribe to ${p.name} for ${formatMoney(p.priceMinor, p.currency)} a ${p.interval}`,
                    () => api.startSubscription(p.id),
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
function summaryLines(s: Subscription, plan: Plan | undefined): Child[] {
  const when = s.currentPeriodEnd ? formatDateTime(s.currentPeriodEnd) : null;
  return [
    h('p', { class: b('row') }, h('strong', null, plan?.name ?? 'Your plan'), badge(s.status)),
    plan
      ? h(
          'p',
          { class: ui('muted') },
          `${plan.mealsPerInterval} meals every ${plan.interval} · ${formatMoney(plan.priceMinor, plan.currency)} / ${plan.interval}`,
        )
      : null,
    h(
      'p',
      null,
      s.cancelAtPeriodEnd && s.status !== 'canceled'
        ? 'Cancelled: it stays active until the end of this period.'
        : STATUS_TEXT[s.status],
    ),
    when
      ? h(
          'p',
          null,
          s.cancelAtPeriodEnd
            ? `Ends on ${when}. No further payments.`
            : s.status === 'paused'
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
  const t = ACTION_TEXT[action];
  return h(
    'div',
    { class: b('confirm'), role: 'group', 'aria-label': `Confirm: ${t.button}` },
    h('p', null, t.question),
    action === 'resume'
      ? null
      : h(
          'div',
          { class: ui('field') },
          h(
            'label',
            { class: ui('label'), for: reason.id },
            'Reason',
            h('span', { class: ui('optional') }, ' (optional)'),
          ),
          reason,
        ),
    h('div', { class: b('row') }, yes, no),
  );
}

/** The dashboard's subscription card: status, next period, and pause/resume/cancel with a confirmation. */
export function subscriptionCard(
  api: ClientBillingApi,
  subs: Subscription[] | null,
  plans: Plan[],
): HTMLElement {
  const title = h('h2', { class: ui('cardTitle') }, 'Subscription');
  if (subs === null)
    return card(
      title,
      h('p', { class: ui('muted') }, 'Your subscription could not be loaded right now.'),
    );
  const current = liveSubscriptions(subs)[0];
  if (!current) {
    return card(
      title,
      h(
        'p',
        { class: ui('muted') },
        'No subscription yet. A weekly plan keeps your credits topped up.',
      ),
      h('a', { class: uis('button', 'small'), href: '#/buy' }, 'See plans'),
    );
  }
  const body = h('div', { class: b('subBody'), dataset: { subscription: '' } });
  const status = h('p', { class: ui('success'), role: 'status', 'aria-live': 'polite' });
  const render = (s: Subscription, focusFirst = false): void => {
    const plan = plans.find((p) => p.id === s.planId);
    const alert = h('p', { class: b('alert'), role: 'alert' });
    const actions = h('div', { class: b('row') });
    const showActions = (): void => {
      actions.replaceChildren(
        ...subscriptionActions(s).map((action) => {
          const t = ACTION_TEXT[action];
          const btn = button(t.button, {
            variant: action === 'cancel' ? 'secondary' : 'primary',
            small: true,
          });
          btn.addEventListener('click', () => confirmStep(action));
          return btn;
        }),
      );
    };
    const confirmStep = (action: SubscriptionAction): void => {
      const t = ACTION_TEXT[action];
      const reasonId = uniqueId('sub-reason');
      const reason = h('input', {
        id: reasonId,
        name: 'reason',
        class: ui('input'),
        maxlength: 500,
        autocomplete: 'off',
      });
      const yes = button(t.confirm, {
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
            const updated = await api.subscriptionAction(action, s.id, why || undefined);
            render(updated, true);
            status.textContent = t.done;
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
    append(body, ...summaryLines(s, plan), alert, actions);
    if (focusFirst) ((actions.querySelector('button') as HTMLElement | null) ?? title).focus?.();
  };
  title.tabIndex = -1;
  render(current);
  return card(title, body, status);
}
