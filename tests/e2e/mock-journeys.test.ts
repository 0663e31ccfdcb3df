import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { build } from 'vite';
import { startMock } from '../../codegen/mock/index.js';
import { surfaceConfig, projectRoot, type Surface } from '../../frontends/vite.config.js';
import { chromiumAvailable, launchBrowser, type BrowserSession } from './support/browser.js';
import { serveStatic } from './support/static-server.js';

/**
 * Journeys against `npm run mock` (Prism on 4010, mock WS on 4011), built with the ONE switch
 * VITE_BK_BACKEND=mock. Uses a mock already running on those ports, or starts one.
 */
const MOCK_HTTP = 'http://localhost:4010';
const MOCK_WS = 'http://localhost:4011';
const mockUp = await fetch('http://127.0.0.1:4010/api/v1/health').then(
  (response) => response.ok,
  () => false,
);

async function buildAndServe(surface: Surface) {
  const outDir = path.join(projectRoot, `tests/e2e/.tmp/${surface}-mock-dist`);
  const config = surfaceConfig(surface, { mode: 'production' });
  const previous = process.env.VITE_BK_BACKEND;
  process.env.VITE_BK_BACKEND = 'mock';
  try {
    await build({
      ...config,
      build: { ...config.build, outDir, sourcemap: false },
      logLevel: 'error',
    });
  } finally {
    if (previous === undefined) delete process.env.VITE_BK_BACKEND;
    else process.env.VITE_BK_BACKEND = previous;
  }
  const server = await serveStatic(outDir);
  // Cookies are per host: serve the page on localhost like the mock's cookie.
  return { ...server, url: server.url.replace('127.0.0.1', 'localhost') };
}

describe.skipIf(!chromiumAvailable())('surfaces against npm run mock', () => {
  let ownMock: { close(): Promise<void> } | null = null;
  let admin: Awaited<ReturnType<typeof buildAndServe>>;
  let site: Awaited<ReturnType<typeof buildAndServe>>;
  let client: Awaited<ReturnType<typeof buildAndServe>>;
  let session: BrowserSession;

  beforeAll(async () => {
    if (!mockUp) ownMock = await startMock({ httpPort: 4010, wsPort: 4011, host: '127.0.0.1' });
    admin = await buildAndServe('admin');
    site = await buildAndServe('site');
    client = await buildAndServe('client');
    session = await launchBrowser({
      allowedOrigins: [admin.url, site.url, client.url, MOCK_HTTP, MOCK_WS],
    });
  });
  afterAll(async () => {
    await session?.close();
    await admin?.close();
    await site?.close();
    await client?.close();
    await ownMock?.close();
  });

  it('when a staff user signs in with the keyboard only, then the enquiries inbox, a detail with its audit trail and the users list render', async () => {
    const page = await session.newPage();
    await page.goto(admin.url, { waitUntil: 'networkidle' });
    await page.waitForSelector('#login-form');
    expect(
      await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name),
    ).toBe('email');
    await session.screenshot(page, 'admin-login');
    await page.keyboard.type('ada@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery staple');
    await page.keyboard.press('Enter');
    await page.waitForSelector('table tbody tr');
    expect(await page.locator('h1').textContent()).toBe('Enquiries');
    await session.screenshot(page, 'admin-enquiries');

    await page.locator('table tbody tr a').first().click();
    await page.waitForSelector('#status-form, [aria-label="Audit trail"]');
    await page.fill('#status-form [name=reason]', 'Called and booked a tasting.');
    await page.locator('#status-form button[type=submit]').click();
    await page.waitForTimeout(500);
    await session.screenshot(page, 'admin-enquiry-detail');

    await page.goto(`${admin.url}/#/users`, { waitUntil: 'networkidle' });
    await page.waitForSelector('table tbody tr');
    await page.locator('[data-theme-toggle]').click();
    await session.screenshot(page, 'admin-users-dark');
    await page.close();
    expect(session.violations).toEqual([]);
  });

  it('when a visitor sends the enquiry form, then the success message is announced; the chat widget connects', async () => {
    const page = await session.newPage();
    await page.goto(site.url, { waitUntil: 'networkidle' });
    await page.fill('#enquiry-form [name=name]', 'Ada Lovelace');
    await page.fill('#enquiry-form [name=email]', 'ada@example.com');
    await page.fill('#enquiry-form [name=message]', 'Meals for two, five days a week?');
    await page.locator('#enquiry-form button[type=submit]').click();
    await page.waitForFunction(() =>
      /Thank you/.test(document.querySelector('#enquiry-form [role=status]')?.textContent ?? ''),
    );
    await page.locator('button[aria-controls=bk-chat-panel]').click();
    await page.keyboard.type('Hello! Do you deliver to Camden?');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    await session.screenshot(page, 'site-enquiry-sent-chat-open');
    await page.close();
    expect(session.violations).toEqual([]);
  });

  it('when a client opens chat, then the conversations with unread badges, the history and the composer render; Enter sends', async () => {
    const page = await session.newPage();
    await page.goto(client.url, { waitUntil: 'networkidle' });
    await page.waitForSelector('#login-form');
    await page.keyboard.type('ada@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery staple');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      /^Hello,/.test(document.querySelector('main h1')?.textContent ?? ''),
    );
    await session.screenshot(page, 'mock-client-dashboard');
    await page.goto(`${client.url}/#/chat`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[role=log][aria-busy=false]');
    await page.locator('textarea[name=message]').fill('Hello from the browser test');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(800);
    expect(
      await page.locator('[role=log] li', { hasText: 'Hello from the browser test' }).count(),
    ).toBe(1);
    await session.screenshot(page, 'mock-client-chat');
    await page.close();
    expect(session.violations).toEqual([]);
  });

  it('when staff open the visitor inbox, rooms and dead letters, then each renders', async () => {
    const page = await session.newPage();
    await page.goto(`${admin.url}/#/chat`, { waitUntil: 'networkidle' });
    if (await page.locator('#login-form').count()) {
      await page.fill('#login-form [name=email]', 'ada@example.com');
      await page.fill('#login-form [name=password]', 'correct horse battery staple');
      await page.locator('#login-form button[type=submit]').click();
      await page.waitForSelector('main h1');
      await page.goto(`${admin.url}/#/chat`, { waitUntil: 'networkidle' });
    }
    await page.waitForSelector('[aria-label="Visitor inbox"]');
    const first = page.locator('a[data-conversation-id]').first();
    if (await first.count()) {
      await first.click();
      await page.waitForSelector('[role=log][aria-busy=false]');
    }
    await session.screenshot(page, 'mock-admin-visitor-inbox');
    await page.goto(`${admin.url}/#/rooms`, { waitUntil: 'networkidle' });
    await page.waitForSelector('[role=log][aria-busy=false]');
    await page.waitForTimeout(300);
    await session.screenshot(page, 'mock-admin-rooms');
    await page.goto(`${admin.url}/#/dead-letters`, { waitUntil: 'networkidle' });
    await page.waitForSelector('table tbody tr');
    await page
      .getByRole('button', { name: /^Replay/ })
      .first()
      .click();
    await page.waitForSelector('[aria-label="Confirm replay"]');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Replay now');
    await session.screenshot(page, 'mock-admin-dead-letters-confirm');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      /Replayed/i.test(document.querySelector('table tbody tr')?.textContent ?? ''),
    );
    await session.screenshot(page, 'mock-admin-dead-letters');
    await page.close();
    expect(session.violations).toEqual([]);
  });
});
