import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '..', 'screenshots');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface BrowserSession {
  browser: BrowserContext;
  /** Requests that left the allowed origins; a journey fails when this is not empty. */
  violations: string[];
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches Debian's chromium through playwright-core with a fresh profile, and a request guard:
 * any request outside `allowedOrigins` (the page's own origin, the API and WS origins) is
 * aborted and recorded, so a page that reaches for a CDN or a tracker fails its test.
 */
export async function launchBrowser(options: {
  allowedOrigins: string[];
  colorScheme?: 'light' | 'dark';
}): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'bk-e2e-profile-'));
  // A fresh profile per launch; playwright passes it to chromium as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const allowed = new Set(options.allowedOrigins.map((owedOrigin) => new URL(owedOrigin).origin));
  const violations: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isAllowed(url, allowed)) return route.continue();
    violations.push(url);
    return route.abort('blockedbyclient');
  });
  // WebSockets bypass route(); watch them separately.
  context.on('page', (page) => watchWebSockets(page, allowed, violations));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser: context,
    violations,
    async newPage() {
      const page = await context.newPage();
      watchWebSockets(page, allowed, violations);
      return page;
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

function isAllowed(url: string, allowed: Set<string>): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    const uRL = new URL(url);
    const origin =
      uRL.protocol === 'ws:' || uRL.protocol === 'wss:'
        ? uRL.origin.replace(/^ws/, 'http')
        : uRL.origin;
    return allowed.has(origin);
  } catch {
    return false;
  }
}

const watched = new WeakSet<Page>();
function watchWebSockets(page: Page, allowed: Set<string>, violations: string[]): void {
  if (watched.has(page)) return;
  watched.add(page);
  page.on('websocket', (ws) => {
    if (!isAllowed(ws.url(), allowed)) violations.push(ws.url());
  });
}
