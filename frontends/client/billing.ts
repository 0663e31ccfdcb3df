import { ApiError } from '../lib/problem.js';
import { mustClass } from '../lib/css-modules.js';
import { formatMoney } from '../lib/money.js';
import type {
  ClientBillingApi,
  Plan,
  Subscription,
  SubscriptionAction,
} from '../lib/billing-api.js';
import { liveSubscriptions, subscriptionActions } from '../lib/billing-logic.js';
import { append, el, formatDateTime, uniqueId, type Child } from '../ui/dom.js';
import { badge, button, card, ui, uis } from '../ui/components.js';
import styles from './billing.module.css';

const second = (name: string): string => mustClass(styles, name);

export const errorText = (err: unknown): string =>
  err instanceof ApiError ? err.userMessage : err instanceof Error ? err.message : String(err);

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

interface ActionContext {
  api: ClientBillingApi;
  sub: Subscription;
  actions: HTMLElement;
  alert: HTMLElement;
  status: HTMLElement;
  render(updated: Subscription, focusFirst: boolean): void;
}

function showActions(ctx: ActionContext): void {
  ctx.actions.replaceChildren(
    ...subscriptionActions(ctx.sub).map((action) => {
      const target = ACTION_TEXT[action];
      const btn = button(target.button, {
        variant: action === 'cancel' ? 'secondary' : 'primary',
        small: true,
      });
      btn.addEventListener('click', () => confirmStep(ctx, action));
      return btn;
    }),
  );
}

async function runAction(
  ctx: ActionContext,
  action: SubscriptionAction,
  reason: HTMLInputElement,
  yes: HTMLButtonElement,
  no: HTMLButtonElement,
): Promise<void> {
  const { alert } = ctx;
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
    const updated = await ctx.api.subscriptionAction(action, ctx.sub.id, why || undefined);
    ctx.render(updated, true);
    ctx.status.textContent = ACTION_TEXT[action].done;
  } catch (err) {
    alert.textContent = `That did not work: ${errorText(err)}`;
    yes.disabled = false;
    no.disabled = false;
  }
}

function confirmStep(ctx: ActionContext, action: SubscriptionAction): void {
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
  ctx.actions.replaceChildren(box);
  yes.focus();
  no.addEventListener('click', () => {
    showActions(ctx);
    (ctx.actions.querySelector('button') as HTMLElement | null)?.focus();
  });
  yes.addEventListener('click', () => void runAction(ctx, action, reason, yes, no));
}

function noSubscriptionCard(title: HTMLElement, subs: Subscription[] | null): HTMLElement {
  if (subs === null)
    return card(
      title,
      el('p', { class: ui('muted') }, 'Your subscription could not be loaded right now.'),
    );
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

/** The dashboard's subscription card: status, next period, and pause/resume/cancel with a confirmation. */
export function subscriptionCard(
  api: ClientBillingApi,
  subs: Subscription[] | null,
  plans: Plan[],
): HTMLElement {
  const title = el('h2', { class: ui('cardTitle') }, 'Subscription');
  const current = subs === null ? undefined : liveSubscriptions(subs)[0];
  if (!current) return noSubscriptionCard(title, subs);
  const body = el('div', { class: second('subBody'), dataset: { subscription: '' } });
  const status = el('p', { class: ui('success'), role: 'status', 'aria-live': 'polite' });
  const render = (sub: Subscription, focusFirst = false): void => {
    const plan = plans.find((plan) => plan.id === sub.planId);
    const alert = el('p', { class: second('alert'), role: 'alert' });
    const actions = el('div', { class: second('row') });
    showActions({ api, sub, actions, alert, status, render });
    body.replaceChildren();
    append(body, ...summaryLines(sub, plan), alert, actions);
    if (focusFirst) ((actions.querySelector('button') as HTMLElement | null) ?? title).focus?.();
  };
  title.tabIndex = -1;
  render(current);
  return card(title, body, status);
}
