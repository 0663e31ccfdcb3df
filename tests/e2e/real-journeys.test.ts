import { describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from './support/browser.js';
import { startRealStack, type RealStack } from './support/real-stack.js';
import { adminSignIn, browserOnStack } from './support/journeys.js';

/**
 * Journeys against the real server: startApp on a free port against a fresh database, the three
 * surfaces built for production and served on their own origins, the API's allowlists set to those
 * origins. Every page may reach only its own origin and the API; anything else fails the journey.
 */
const stack: RealStack | null = chromiumAvailable() ? await startRealStack() : null;
const realtimeWired = stack?.realtimeWired ?? false;

describe.skipIf(!stack)('journeys against the real server', () => {
  const realStack = stack!;
  const browser = browserOnStack(realStack);

  it('when a visitor sends an enquiry on the site, then it appears in the admin inbox and opens with its audit trail', async () => {
    const site = await browser.session.newPage();
    await site.goto(realStack.urls.site, { waitUntil: 'networkidle' });
    const name = `Grace Hopper ${Date.now().toString(36)}`;
    await site.fill('#enquiry-form [name=name]', name);
    await site.fill('#enquiry-form [name=email]', 'grace@example.com');
    await site.fill(
      '#enquiry-form [name=message]',
      'Lunches for a team of eight, three days a week?',
    );
    await site.locator('#enquiry-form button[type=submit]').click();
    await site.waitForFunction(() =>
      /Thank you/.test(document.querySelector('#enquiry-form [role=status]')?.textContent ?? ''),
    );
    await browser.session.screenshot(site, 'real-site-enquiry-sent');
    await site.close();

    const admin = await browser.session.newPage();
    await adminSignIn(admin, realStack);
    await admin.goto(`${realStack.urls.admin}/#/enquiries`, { waitUntil: 'networkidle' });
    const link = admin.locator('table tbody tr a', { hasText: name });
    await link.waitFor();
    await browser.session.screenshot(admin, 'real-admin-enquiries');
    await link.click();
    await admin.waitForSelector('[aria-label="Audit trail"] li');
    expect(await admin.locator('h1').textContent()).toContain(name);
    await browser.session.screenshot(admin, 'real-admin-enquiry-detail');
    await admin.close();
    expect(browser.session.violations).toEqual([]);
  });

  it('when a client signs in with the keyboard only, then the dashboard greets them and sign-out works from the keyboard', async () => {
    const page = await browser.session.newPage();
    await page.goto(realStack.urls.client, { waitUntil: 'networkidle' });
    await page.waitForSelector('#login-form');
    expect(
      await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name),
    ).toBe('email');
    await page.keyboard.type(realStack.demo.client.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(realStack.demo.client.password);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      /^Hello,/.test(document.querySelector('main h1')?.textContent ?? ''),
    );
    await page.waitForSelector('[data-credit-balance]');
    await browser.session.screenshot(page, 'real-client-dashboard');

    // After the route change focus sits on the page heading, and Tab goes on to the page's first control.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Account settings');
    await page.goto(`${realStack.urls.client}/#/account`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[data-user-id]');
    await browser.session.screenshot(page, 'real-client-account');
    const signOut = page.getByRole('button', { name: 'Sign out' });
    await signOut.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-form');
    await page.close();
    expect(browser.session.violations).toEqual([]);
  });

  it('when the system prefers dark, then every surface renders dark; the toggle switches and remembers the choice', async () => {
    const dark = await launchBrowser({
      allowedOrigins: [
        realStack.urls.site,
        realStack.urls.client,
        realStack.urls.admin,
        realStack.api,
      ],
      colorScheme: 'dark',
    });
    try {
      const page = await dark.newPage();
      await page.goto(realStack.urls.site, { waitUntil: 'networkidle' });
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(luminance(bg)).toBeLessThan(0.2);
      await dark.screenshot(page, 'real-site-dark');

      await page.goto(realStack.urls.admin, { waitUntil: 'networkidle' });
      await page.waitForSelector('#login-form');
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await page.fill('#login-form [name=email]', realStack.demo.admin.email);
      await page.fill('#login-form [name=password]', realStack.demo.admin.password);
      await page.locator('#login-form button[type=submit]').click();
      await page.waitForSelector('main h1');
      await page.goto(`${realStack.urls.admin}/#/users`, { waitUntil: 'networkidle' });
      await page.waitForSelector('table tbody tr');
      await dark.screenshot(page, 'real-admin-users-dark');
      await page.goto(`${realStack.urls.admin}/#/catalogue`, { waitUntil: 'networkidle' });
      await page.waitForSelector('#pack-form');
      await dark.screenshot(page, 'real-admin-catalogue-dark');

      await page.locator('[data-theme-toggle]').click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await page.reload({ waitUntil: 'networkidle' });
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await page.close();
      expect(dark.violations).toEqual([]);
    } finally {
      await dark.close();
    }
  });

  it.skipIf(!realtimeWired)(
    // Needs the realtime server wired into server/main.ts (probed by opening /ws/v1/site).
    'when a visitor writes in the site widget, then staff see it live in the visitor inbox, and their reply reaches the visitor',
    async () => {
      const admin = await browser.session.newPage();
      await adminSignIn(admin, realStack);
      await admin.goto(`${realStack.urls.admin}/#/chat`, { waitUntil: 'networkidle' });
      await admin.waitForSelector('[aria-label="Visitor inbox"]');

      const site = await browser.session.newPage();
      await site.goto(realStack.urls.site, { waitUntil: 'networkidle' });
      await site.locator('button[aria-controls=bk-chat-panel]').click();
      await site.waitForFunction(
        () => document.querySelector('#bk-chat-panel')?.getAttribute('data-state') === 'open',
      );
      await site.keyboard.type('Hello! Do you deliver to Camden?');
      await site.keyboard.press('Enter');
      await site.waitForFunction(() =>
        /Sent/.test(document.querySelector('#bk-chat-panel [role=log]')?.textContent ?? ''),
      );

      // Live: the inbox gets the conversation without a reload.
      const row = admin.locator('a[data-status=waiting]').first();
      await row.waitFor({ timeout: 15_000 });
      await browser.session.screenshot(admin, 'real-admin-visitor-inbox');
      await row.click();
      await admin.waitForFunction(() =>
        /Camden/.test(document.querySelector('[role=log]')?.textContent ?? ''),
      );
      await admin
        .locator('textarea[name=message]')
        .fill('Yes, we deliver to Camden on Mondays and Thursdays.');
      await admin.keyboard.press('Enter');
      await admin.waitForFunction(() =>
        /Read|Sent/.test(document.querySelector('[role=log] li:last-child')?.textContent ?? ''),
      );
      await browser.session.screenshot(admin, 'real-admin-visitor-reply');

      await site.waitForFunction(
        () =>
          /Mondays and Thursdays/.test(
            document.querySelector('#bk-chat-panel [role=log]')?.textContent ?? '',
          ),
        null,
        { timeout: 15_000 },
      );
      await browser.session.screenshot(site, 'real-site-chat-reply');

      // A reload resumes the same guest: the conversation is replayed, once.
      await site.reload({ waitUntil: 'networkidle' });
      await site.locator('button[aria-controls=bk-chat-panel]').click();
      await site.waitForFunction(
        () =>
          /Mondays and Thursdays/.test(
            document.querySelector('#bk-chat-panel [role=log]')?.textContent ?? '',
          ),
        null,
        { timeout: 15_000 },
      );
      const camden = await site
        .locator('#bk-chat-panel [role=log] li', { hasText: 'Camden?' })
        .count();
      expect(camden).toBe(1);
      await site.close();
      await admin.close();
      expect(browser.session.violations).toEqual([]);
    },
  );
});

/** Relative luminance (0 black .. 1 white) of a CSS rgb() colour. */
function luminance(rgb: string): number {
  const [amount = 0, group = 0, second = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  const lin = (value: number): number => {
    const item = value / 255;
    return item <= 0.03928 ? item / 12.92 : ((item + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(amount) + 0.7152 * lin(group) + 0.0722 * lin(second);
}
