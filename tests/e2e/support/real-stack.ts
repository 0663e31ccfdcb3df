import net from 'node:net';
import path from 'node:path';
import { build } from 'vite';
import WebSocket from 'ws';
import { startApp, type App } from '../../../server/main.js';
import { loadConfig } from '../../../server/shared/config/config.js';
import {
  surfaceConfig,
  projectRoot,
  surfaces,
  type Surface,
} from '../../../frontends/vite.config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { serveStatic } from './static-server.js';

export interface RealStack {
  app: App;
  api: string;
  urls: Record<Surface, string>;
  demo: { admin: { email: string; password: string }; client: { email: string; password: string } };
  /** Whether the server answers WebSocket upgrades on /ws/v1/site (realtime wired into server/main.ts). */
  realtimeWired: boolean;
  close(): Promise<void>;
}

/** Opens /ws/v1/site with the site's Origin: true when the server upgrades it. */
export function probeRealtime(api: string, origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${api.replace(/^http/, 'ws')}/ws/v1/site`, { origin });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      try {
        ws.terminate();
      } catch {
        // already gone
      }
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 3000);
    ws.once('open', () => done(true));
    ws.once('unexpected-response', () => done(false));
    ws.once('error', () => done(false));
  });
}

/**
 * The real stack for browser journeys: the three surfaces built for production and served on their
 * own origins, and the real API (startApp) on a free port against a fresh database, with its CORS
 * and WebSocket Origin allowlists set to exactly those origins, and the demo users seeded.
 */
export async function startRealStack(): Promise<RealStack> {
  const served: Array<{ close(): Promise<void> }> = [];
  const urls = {} as Record<Surface, string>;
  const dirs = {} as Record<Surface, string>;
  let database: TestDatabase | null = null;
  let app: App | null = null;
  try {
    // Serve first (files are read per request) so the origins are known before the API starts.
    for (const surface of surfaces) {
      dirs[surface] = path.join(projectRoot, `tests/e2e/.tmp/${surface}-real-dist`);
      const text = await serveStatic(dirs[surface]);
      served.push(text);
      // Cookies and CORS go by host: the pages live on localhost, like in development.
      urls[surface] = text.url.replace('127.0.0.1', 'localhost');
    }
    database = await createTestDatabase();
    // The port is fixed before start so the API's public URL is known: the local checkout links
    // (checkoutUrl) the browser follows are built from it.
    const port = await freePort();
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        PORT: String(port),
        BK_PUBLIC_API_URL: `http://localhost:${port}`,
        LOG_LEVEL: 'warn',
        BK_SITE_ORIGINS: urls.site,
        BK_CLIENT_ORIGINS: urls.client,
        BK_ADMIN_ORIGINS: urls.admin,
      },
      [],
      {},
    );
    app = await startApp({ config, databaseUrl: database.url });
    const demo = await app.identity.seedDemoUsers();
    const api = app.url.replace('127.0.0.1', 'localhost');
    const previous = process.env.VITE_BK_BACKEND;
    delete process.env.VITE_BK_BACKEND;
    try {
      for (const surface of surfaces) {
        const cfg = surfaceConfig(surface, { mode: 'production', apiBase: api });
        await build({
          ...cfg,
          build: { ...cfg.build, outDir: dirs[surface], sourcemap: false },
          logLevel: 'error',
        });
      }
    } finally {
      if (previous !== undefined) process.env.VITE_BK_BACKEND = previous;
    }
    const realtimeWired = await probeRealtime(api, urls.site);
    const running = app;
    const db = database;
    return {
      app: running,
      api,
      urls,
      demo,
      realtimeWired,
      async close() {
        await running.close();
        await db.drop();
        await Promise.allSettled(served.map((text) => text.close()));
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    await Promise.allSettled(served.map((text) => text.close()));
    throw err;
  }
}

/** A port free right now (the OS picks it); the API listens on it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
