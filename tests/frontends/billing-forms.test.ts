import { describe, expect, it } from 'vitest';
import {
  awaitingPayment,
  liveSubscriptions,
  parseCount,
  readCatalogueForm,
  readRefundForm,
  refundable,
  subscriptionActions,
} from '../../frontends/lib/billing-logic.js';
import type { Subscription } from '../../frontends/lib/billing-api.js';

describe('the admin pack/plan form', () => {
  it('when a pack is filled in with a price in pounds, then the body carries integer pence', () => {
    expect(
      readCatalogueForm(
        { name: ' Ten lunches ', description: '', meals: '10', priceMinor: '89' },
        'pack',
      ),
    ).toEqual({
      ok: true,
      body: { name: 'Ten lunches', description: '', meals: 10, priceMinor: 8900 },
    });
  });

  it('when a plan is created, then its interval and meals per period are read', () => {
    expect(
      readCatalogueForm(
        {
          name: 'Weekday lunches',
          description: 'Five a week',
          interval: 'week',
          mealsPerInterval: '5',
          priceMinor: '£45.00',
        },
        'plan',
      ),
    ).toEqual({
      ok: true,
      body: {
        name: 'Weekday lunches',
        description: 'Five a week',
        interval: 'week',
        mealsPerInterval: 5,
        priceMinor: 4500,
      },
    });
  });

  it('when fields are wrong, then each error is tied to its field name (the same names the API points at)', () => {
    const result = readCatalogueForm({ name: ' ', meals: '2.5', priceMinor: '0.20' }, 'pack');
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'Please enter a name.',
        meals: 'Enter a whole number.',
        priceMinor: 'The amount must be at least £0.50.',
      },
    });
  });

  it('when the meal count is out of range, then the range is named', () => {
    expect(parseCount('501', 1, 500)).toEqual({
      ok: false,
      error: 'Enter a number from 1 to 500.',
    });
    expect(parseCount('0', 1, 100)).toEqual({ ok: false, error: 'Enter a number from 1 to 100.' });
    expect(parseCount(' 12 ', 1, 100)).toEqual({ ok: true, value: 12 });
  });
});

describe('the ledger refund form', () => {
  it('when the amount is left empty, then the whole remainder is refunded (no amountMinor)', () => {
    expect(readRefundForm({ amount: '', reason: 'Kitchen closed' }, 4350, 'gbp')).toEqual({
      ok: true,
      body: { reason: 'Kitchen closed' },
    });
  });
  it('when a partial amount is typed in pounds, then it is sent in pence', () => {
    expect(readRefundForm({ amount: '10.25', reason: 'Two meals missed' }, 4350, 'gbp')).toEqual({
      ok: true,
      body: { reason: 'Two meals missed', amountMinor: 1025 },
    });
  });
  it('when the amount exceeds what is left, or the reason is too short, then both are refused', () => {
    expect(readRefundForm({ amount: '50', reason: 'no' }, 4350, 'gbp')).toEqual({
      ok: false,
      errors: {
        reason: 'Please give a reason (at least 3 characters); it is kept in the audit trail.',
        amountMinor: 'The amount can be at most £43.50.',
      },
    });
  });
  it('when a transaction is a refund or fully refunded, then nothing is refundable', () => {
    expect(refundable({ kind: 'refund', amountMinor: 100, refundedMinor: 0 })).toBe(0);
    expect(refundable({ kind: 'payment', amountMinor: 4350, refundedMinor: 4350 })).toBe(0);
    expect(refundable({ kind: 'invoice', amountMinor: 4500, refundedMinor: 1000 })).toBe(3500);
  });
});

const sub = (over: Partial<Subscription>): Subscription => ({
  id: 's1',
  planId: 'p1',
  status: 'active',
  cancelAtPeriodEnd: false,
  currentPeriodEnd: '2026-12-04T10:15:00.000Z',
  createdAt: '2026-11-27T10:15:00.000Z',
  updatedAt: '2026-11-27T10:15:00.000Z',
  ...over,
});

describe('the client subscription card', () => {
  it.each([
    [sub({ status: 'active' }), ['pause', 'cancel']],
    [sub({ status: 'active', cancelAtPeriodEnd: true }), []],
    [sub({ status: 'paused' }), ['resume', 'cancel']],
    [sub({ status: 'past_due' }), ['cancel']],
    [sub({ status: 'incomplete' }), []],
    [sub({ status: 'canceled' }), []],
  ])('when the subscription is %o, then it offers %j', (text, actions) => {
    expect(subscriptionActions(text)).toEqual(actions);
  });

  it('when subscriptions have ended, then they are not the current one', () => {
    expect(
      liveSubscriptions([
        sub({ id: 'a', status: 'canceled' }),
        sub({ id: 'b', status: 'paused' }),
      ]).map((text) => text.id),
    ).toEqual(['b']);
  });

  it('when a purchase is pending or a subscription incomplete, then the dashboard keeps waiting for the payment', () => {
    expect(awaitingPayment([{ status: 'paid' }], [sub({})])).toBe(false);
    expect(awaitingPayment([{ status: 'pending' }], null)).toBe(true);
    expect(awaitingPayment(null, [sub({ status: 'incomplete' })])).toBe(true);
  });
});
