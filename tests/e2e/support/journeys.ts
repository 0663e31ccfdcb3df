import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type BrowserSession } from './browser.js';
import type { RealStack } from './real-stack.js';

/**
 * One browser for a describe block, allowed to reach only the stack's three surfaces and its API;
 * after the block it closes, and the stack with it. Read `.session` inside the tests.
 */
export function browserOnStack(realStack: RealStack): { readonly session: BrowserSession } {
  const holder = {} as { session: BrowserSession };
  beforeAll(async () => {
    holder.session = await launchBrowser({
      allowedOrigins: [
        realStack.urls.site,
        realStack.urls.client,
        realStack.urls.admin,
        realStack.api,
      ],
    });
  });
  afterAll(async () => {
    await holder.session?.close();
    await realStack.close();
  });
  return holder;
}

/** Steps the real-server journeys share; each signs in or pays the way a user would. */

export async function adminSignIn(page: Page, realStack: RealStack): Promise<void> {
  await page.goto(`${realStack.urls.admin}/#/login`, { waitUntil: 'networkidle' });
  // An earlier journey in this browser may have signed in already; the app then skips the form.
  await page.waitForSelector('#login-form, main h1');
  if ((await page.locator('#login-form').count()) === 0) return;
  await page.fill('#login-form [name=email]', realStack.demo.admin.email);
  await page.fill('#login-form [name=password]', realStack.demo.admin.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.waitForFunction(
    () => !document.querySelector('#login-form') && document.querySelector('main h1'),
  );
}

export async function clientSignIn(page: Page, realStack: RealStack): Promise<void> {
  await page.goto(`${realStack.urls.client}/#/login`, { waitUntil: 'networkidle' });
  await page.waitForSelector('#login-form, main h1');
  if ((await page.locator('#login-form').count()) === 0) return;
  await page.fill('#login-form [name=email]', realStack.demo.client.email);
  await page.fill('#login-form [name=password]', realStack.demo.client.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.waitForFunction(() =>
    /^Hello,/.test(document.querySelector('main h1')?.textContent ?? ''),
  );
}

/** Clicks Pay on the API's local checkout page and waits to be back on the client surface. */
export async function payOnLocalCheckout(page: Page, realStack: RealStack): Promise<void> {
  const blocked: string[] = [];
  const onConsole = (match: { text(): string }): void => {
    if (/Content Security Policy/.test(match.text())) blocked.push(match.text());
  };
  page.on('console', onConsole);
  await page.getByRole('button', { name: 'Pay' }).click();
  const back = (uRL: URL): boolean =>
    uRL.origin === new URL(realStack.urls.client).origin &&
    uRL.hash.startsWith('#/billing/success');
  try {
    await page.waitForURL(back, { timeout: 10_000 });
  } catch (err) {
    // A CSP that forbids the redirect after Pay strands a real user on the checkout page.
    throw blocked.length
      ? new Error(`The local checkout did not return to the client surface: ${blocked[0]}`)
      : err;
  } finally {
    page.off('console', onConsole);
  }
}

/** The credit balance the client surface shows. */
export const balanceOf = (page: Page): Promise<string> =>
  page.locator('[data-credit-balance]').innerText();
