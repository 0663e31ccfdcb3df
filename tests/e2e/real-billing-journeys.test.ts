import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.js';
import { startRealStack, type RealStack } from './support/real-stack.js';
import {
  adminSignIn,
  balanceOf,
  browserOnStack,
  clientSignIn,
  payOnLocalCheckout,
} from './support/journeys.js';

/**
 * Journeys against the real server: startApp on a free port against a fresh database, the three
 * surfaces built for production and served on their own origins, the API's allowlists set to those
 * origins. Every page may reach only its own origin and the API; anything else fails the journey.
 */
const stack: RealStack | null = chromiumAvailable() ? await startRealStack() : null;
const realtimeWired = stack?.realtimeWired ?? false;

describe.skipIf(!stack)('billing journeys against the real server', () => {
  const realStack = stack!;
  const browser = browserOnStack(realStack);

  it('when a client buys a pack through the local checkout, then the credits arrive; when an admin refunds it in the ledger, then they go again', async () => {
    const pack = await realStack.app.packs.create({
      name: 'Six suppers',
      description: 'Six chef-made suppers, delivered twice a week.',
      meals: 6,
      priceMinor: 4350,
      currency: 'gbp',
    });
    const client = await browser.session.newPage();
    await clientSignIn(client, realStack);
    await client.waitForSelector('[data-credit-balance]');
    const before = Number(await balanceOf(client)) || 0;

    await client.goto(`${realStack.urls.client}/#/buy`, { waitUntil: 'networkidle' });
    const buy = client.getByRole('button', { name: `Buy ${pack.name} for £43.50` });
    await buy.waitFor();
    expect(await client.locator('article', { hasText: pack.name }).innerText()).toContain(
      '£7.25 a meal',
    );
    await browser.session.screenshot(client, 'real-client-buy-meals');
    await buy.click();

    // The API's own checkout page (development stand-in for Stripe Checkout), on the API origin.
    await client.waitForURL(/\/dev\/checkout\/cs_local_/);
    expect(new URL(client.url()).origin).toBe(new URL(realStack.api).origin);
    expect(await client.locator('[data-testid=total]').innerText()).toBe('43.50 GBP');
    await browser.session.screenshot(client, 'real-local-checkout');
    await payOnLocalCheckout(client, realStack);

    // Back on the client surface; the credits come through webhook -> outbox -> relay, asynchronously.
    await client.waitForSelector('[data-billing-notice]');
    await client.waitForFunction(
      (count) => document.querySelector('[data-credit-balance]')?.textContent === String(count),
      before + 6,
      { timeout: 30_000 },
    );
    await client.waitForFunction(
      (name) =>
        /paid/.test(
          [...document.querySelectorAll('li')].find((li) => li.textContent?.includes(name))
            ?.textContent ?? '',
        ),
      pack.name,
      { timeout: 15_000 },
    );
    await client.waitForFunction(
      () =>
        /payment is confirmed/.test(
          document.querySelector('[data-billing-notice]')?.textContent ?? '',
        ),
      null,
      { timeout: 15_000 },
    );
    await browser.session.screenshot(client, 'real-client-credits-arrived');
    await client.setViewportSize({ width: 390, height: 844 });
    await browser.session.screenshot(client, 'real-client-credits-arrived-phone');
    await client.setViewportSize({ width: 1280, height: 800 });

    const admin = await browser.session.newPage();
    await adminSignIn(admin, realStack);
    // The catalogue: a price typed in pounds is checked, sent in pence, edited, and the pack retired.
    await admin.goto(`${realStack.urls.admin}/#/catalogue`, { waitUntil: 'networkidle' });
    const packForm = admin.locator('#pack-form');
    await packForm.locator('[name=name]').fill('Tasting box');
    await packForm.locator('[name=meals]').fill('3');
    await packForm.locator('[name=priceMinor]').fill('0.20');
    await packForm.getByRole('button', { name: 'Create pack' }).click();
    await packForm.locator('[data-error-for=priceMinor]', { hasText: 'at least £0.50' }).waitFor();
    await packForm.locator('[name=priceMinor]').fill('19.5');
    await packForm.getByRole('button', { name: 'Create pack' }).click();
    const tasting = admin.locator('table[data-catalogue=pack] tbody tr', {
      hasText: 'Tasting box',
    });
    await tasting.waitFor();
    expect(await tasting.innerText()).toContain('£19.50');
    await tasting.getByRole('button', { name: 'Edit Tasting box' }).click();
    expect(await packForm.locator('[name=priceMinor]').inputValue()).toBe('19.50');
    await packForm.locator('[name=priceMinor]').fill('18');
    await packForm.getByRole('button', { name: 'Save changes' }).click();
    await admin.waitForFunction(() =>
      /£18\.00/.test(
        [...document.querySelectorAll('table[data-catalogue=pack] tbody tr')].find((tr) =>
          tr.textContent?.includes('Tasting box'),
        )?.textContent ?? '',
      ),
    );
    await tasting.getByRole('button', { name: 'Retire Tasting box' }).click();
    await browser.session.screenshot(admin, 'real-admin-catalogue-retire-confirm');
    await tasting.getByRole('button', { name: 'Yes, retire Tasting box' }).click();
    await admin.waitForFunction(() =>
      /retired/i.test(
        [...document.querySelectorAll('table[data-catalogue=pack] tbody tr')].find((tr) =>
          tr.textContent?.includes('Tasting box'),
        )?.textContent ?? '',
      ),
    );
    await browser.session.screenshot(admin, 'real-admin-catalogue');

    await admin.goto(`${realStack.urls.admin}/#/ledger`, { waitUntil: 'networkidle' });
    const payment = admin.locator('tr[data-kind=payment]', { hasText: pack.name }).first();
    await payment.waitFor();
    expect(await payment.innerText()).toContain('£43.50');
    await payment.getByRole('button', { name: /^Refund/ }).click();
    const refundForm = admin.locator('form[id^=refund-]');
    await refundForm.locator('[name=amountMinor]').fill('50');
    await refundForm.getByRole('button', { name: 'Request refund' }).click();
    await refundForm
      .locator('[data-error-for=amountMinor]', { hasText: 'at most £43.50' })
      .waitFor();
    await refundForm.locator('[name=amountMinor]').fill('');
    await refundForm.locator('[name=reason]').fill('Deliveries paused: kitchen closed for refit.');
    await browser.session.screenshot(admin, 'real-admin-ledger-refund-form');
    await refundForm.getByRole('button', { name: 'Request refund' }).click();
    await admin.waitForSelector('[data-refund-requested]');
    await admin.waitForFunction(
      (name) =>
        [...document.querySelectorAll('tr[data-kind=payment]')].some(
          (tr) => tr.textContent?.includes(name) && /Fully refunded/.test(tr.textContent),
        ),
      pack.name,
      { timeout: 30_000 },
    );
    await browser.session.screenshot(admin, 'real-admin-ledger-refunded');

    // The client's dashboard follows live (credits.balance_changed); without realtime, a reload shows it.
    try {
      await client.waitForFunction(
        (count) => document.querySelector('[data-credit-balance]')?.textContent === String(count),
        before,
        { timeout: realtimeWired ? 20_000 : 1_000 },
      );
    } catch (err) {
      if (realtimeWired) throw err;
      await client.goto(`${realStack.urls.client}/#/`, { waitUntil: 'networkidle' });
      await client.waitForFunction(
        (count) => document.querySelector('[data-credit-balance]')?.textContent === String(count),
        before,
        { timeout: 20_000 },
      );
    }
    await client.waitForFunction(
      (name) =>
        /refunded/.test(
          [...document.querySelectorAll('li')].find((li) => li.textContent?.includes(name))
            ?.textContent ?? '',
        ),
      pack.name,
      { timeout: 15_000 },
    );
    await browser.session.screenshot(client, 'real-client-after-refund');
    await client.goto(`${realStack.urls.client}/#/credits`, { waitUntil: 'networkidle' });
    await client.waitForFunction(() =>
      /Reversed/.test(document.querySelector('table tbody')?.textContent ?? ''),
    );
    await browser.session.screenshot(client, 'real-client-credit-history');
    await admin.close();
    await client.close();
    expect(browser.session.violations).toEqual([]);
  });

  it('when a client subscribes to a plan through the local checkout, then the card shows it active, and pause, resume and cancel at period end work with a confirmation', async () => {
    const admin = await browser.session.newPage();
    await adminSignIn(admin, realStack);
    await admin.goto(`${realStack.urls.admin}/#/catalogue`, { waitUntil: 'networkidle' });
    const planForm = admin.locator('#plan-form');
    await planForm.locator('[name=name]').fill('Weekday lunches');
    await planForm.locator('[name=description]').fill('Five lunches every week.');
    await planForm.locator('[name=interval]').selectOption('week');
    await planForm.locator('[name=mealsPerInterval]').fill('5');
    await planForm.locator('[name=priceMinor]').fill('45');
    await planForm.getByRole('button', { name: 'Create plan' }).click();
    await admin
      .locator('table[data-catalogue=plan] tbody tr', { hasText: 'Weekday lunches' })
      .waitFor();
    await admin.close();

    const client = await browser.session.newPage();
    await clientSignIn(client, realStack);
    const before = Number(await balanceOf(client)) || 0;
    await client.goto(`${realStack.urls.client}/#/buy`, { waitUntil: 'networkidle' });
    await client
      .getByRole('button', { name: 'Subscribe to Weekday lunches for £45.00 a week' })
      .click();
    await client.waitForURL(/\/dev\/checkout\/cs_local_/);
    await payOnLocalCheckout(client, realStack);
    await client.waitForFunction(
      () => /Active/i.test(document.querySelector('[data-subscription]')?.textContent ?? ''),
      null,
      { timeout: 30_000 },
    );
    await client.waitForFunction(
      (count) => document.querySelector('[data-credit-balance]')?.textContent === String(count),
      before + 5,
      { timeout: 30_000 },
    );
    // The balance is pushed at once; the card is redrawn by the refresh that follows (300 ms later).
    await client.waitForFunction(
      () =>
        /Next period starts/.test(document.querySelector('[data-subscription]')?.textContent ?? ''),
      null,
      { timeout: 15_000 },
    );
    const card = client.locator('[data-subscription]');
    await client.waitForFunction(
      () =>
        /payment is confirmed/.test(
          document.querySelector('[data-billing-notice]')?.textContent ?? '',
        ),
      null,
      { timeout: 15_000 },
    );
    await browser.session.screenshot(client, 'real-client-subscription-active');

    await card.getByRole('button', { name: 'Pause' }).click();
    await card.locator('[name=reason]').fill('Away for two weeks');
    await client.evaluate(() => window.scrollTo(0, 0));
    await browser.session.screenshot(client, 'real-client-subscription-pause-confirm');
    await card.getByRole('button', { name: 'Yes, pause' }).click();
    await client.waitForFunction(() =>
      /Paused/i.test(document.querySelector('[data-subscription]')?.textContent ?? ''),
    );
    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByRole('button', { name: 'Yes, resume' }).click();
    await client.waitForFunction(() =>
      /Active:/.test(document.querySelector('[data-subscription]')?.textContent ?? ''),
    );
    await card.getByRole('button', { name: 'Cancel at period end' }).click();
    await card.getByRole('button', { name: 'Yes, cancel' }).click();
    await client.waitForFunction(() =>
      /Ends on/.test(document.querySelector('[data-subscription]')?.textContent ?? ''),
    );
    await browser.session.screenshot(client, 'real-client-subscription-cancelled');
    await client.close();
    expect(browser.session.violations).toEqual([]);
  });
});
