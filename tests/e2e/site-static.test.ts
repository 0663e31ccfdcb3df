import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import { surfaceConfig, projectRoot } from '../../frontends/vite.config.js';
import { chromiumAvailable, launchBrowser, type BrowserSession } from './support/browser.js';
import { serveStatic } from './support/static-server.js';

const API_ORIGIN = 'http://localhost:3000';

async function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    return `${el.tagName.toLowerCase()}|${el.getAttribute('name') ?? ''}|${el.getAttribute('href') ?? ''}|${(el.textContent ?? '').trim().slice(0, 40)}`;
  });
}

describe.skipIf(!chromiumAvailable())('site (static build, no backend)', () => {
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let session: BrowserSession;

  beforeAll(async () => {
    const outDir = path.join(projectRoot, 'tests/e2e/.tmp/site-dist');
    const config = surfaceConfig('site', { mode: 'production', apiBase: API_ORIGIN });
    await build({
      ...config,
      build: { ...config.build, outDir, sourcemap: false },
      logLevel: 'error',
    });
    server = await serveStatic(outDir);
    session = await launchBrowser({ allowedOrigins: [server.url, API_ORIGIN] });
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('when the home page loads, then it renders in light mode, and the toggle switches to dark and persists', async () => {
    const page = await session.newPage();
    await page.goto(server.url, { waitUntil: 'networkidle' });
    await expect(page.locator('h1').textContent()).resolves.toContain('Balanced meals');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    await session.screenshot(page, 'site-home-light');

    const toggle = page.locator('[data-theme-toggle]');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await session.screenshot(page, 'site-home-dark');

    await page.reload({ waitUntil: 'networkidle' });
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.locator('[data-theme-toggle]').click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');

    await page.setViewportSize({ width: 390, height: 844 });
    await session.screenshot(page, 'site-home-phone');
    await page.close();
    expect(session.violations).toEqual([]);
  });

  it('when a keyboard user tabs from the top, then the skip link comes first and the nav leads into the enquiry form', async () => {
    const page = await session.newPage();
    await page.goto(server.url, { waitUntil: 'networkidle' });
    await page.keyboard.press('Tab');
    expect(await focusedDescription(page)).toContain('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    // From the top again: Tab through the header until the "Enquire" nav link.
    await page.goto(server.url, { waitUntil: 'networkidle' });
    let found = false;
    for (let index = 0; index < 15 && !found; index += 1) {
      await page.keyboard.press('Tab');
      found = (await focusedDescription(page)).includes('#enquire|Enquire');
    }
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focusedDescription(page)).toMatch(/^input\|name\|/);

    // Submitting the empty form by keyboard shows field messages, not a request.
    await page.keyboard.type('Ada Lovelace');
    await page.locator('#enquiry-form button[type=submit]').focus();
    await page.keyboard.press('Enter');
    const email = page.locator('#enquiry-form [name=email]');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name),
    ).toBe('email');
    await expect(page.locator('[data-error-for=email]').textContent()).resolves.toMatch(/email/i);
    await page.screenshot({
      path: path.join(projectRoot, 'tests/e2e/screenshots/site-enquiry-errors.png'),
    });
    await page.close();
    expect(session.violations).toEqual([]);
  });
});
