import { createServer, type ViteDevServer } from 'vite';
import { defaultPorts, surfaceConfig, surfaces, type Surface } from './vite.config.js';

export interface StartFrontendsOptions {
  /** The API origin the surfaces call (e.g. http://localhost:3000); default from VITE_* env. */
  apiBase?: string;
  ports?: Partial<Record<Surface, number>>;
}

export interface RunningFrontends {
  urls: Record<Surface, string>;
  close(): Promise<void>;
}

/**
 * Starts the three Vite dev servers (site, client, admin) on their own ports, strictly: a port in
 * use is an error, not a silent move, because the API's CORS allowlists name these origins.
 * @example
 * const fe = await startFrontends({ apiBase: 'http://localhost:3000' });
 * console.log(fe.urls.site); // http://localhost:5173
 * await fe.close();
 */
export async function startFrontends(
  options: StartFrontendsOptions = {},
): Promise<RunningFrontends> {
  const started: ViteDevServer[] = [];
  const urls = {} as Record<Surface, string>;
  try {
    for (const surface of surfaces) {
      const port = options.ports?.[surface] ?? defaultPorts[surface];
      const server = await createServer(
        surfaceConfig(surface, {
          port,
          mode: 'development',
          ...(options.apiBase ? { apiBase: options.apiBase } : {}),
        }),
      );
      started.push(server);
      await server.listen();
      urls[surface] = `http://localhost:${port}`;
    }
  } catch (err) {
    await Promise.allSettled(started.map((viteDevServer) => viteDevServer.close()));
    throw err;
  }
  return {
    urls,
    async close() {
      await Promise.allSettled(started.map((viteDevServer) => viteDevServer.close()));
    },
  };
}

// `tsx frontends/dev.ts` runs the three on their own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const fe = await startFrontends();
  for (const [name, url] of Object.entries(fe.urls)) console.log(`${name.padEnd(6)} ${url}`);
  const stop = (): void => {
    void fe.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
