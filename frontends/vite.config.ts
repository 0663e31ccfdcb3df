import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { InlineConfig } from 'vite';

export const surfaces = ['site', 'client', 'admin'] as const;
export type Surface = (typeof surfaces)[number];

export const defaultPorts: Record<Surface, number> = { site: 5173, client: 5174, admin: 5175 };

const frontendsDir = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(frontendsDir, '..');

export interface SurfaceConfigOptions {
  /** Overrides VITE_API_BASE for this build or server (e.g. the orchestrator's API URL). */
  apiBase?: string;
  port?: number;
  mode?: 'development' | 'production';
}

/**
 * The Vite config of one surface. Works whatever the cwd is: every path is absolute, the env
 * is read from the project root (`.env*` and `VITE_*` variables of the process).
 */
export function surfaceConfig(surface: Surface, options: SurfaceConfigOptions = {}): InlineConfig {
  const root = path.join(frontendsDir, surface);
  const port = options.port ?? defaultPorts[surface];
  const define: Record<string, string> = {};
  if (options.apiBase) define['import.meta.env.VITE_API_BASE'] = JSON.stringify(options.apiBase);
  return {
    configFile: false,
    root,
    base: '/',
    envDir: projectRoot,
    mode: options.mode,
    logLevel: 'warn',
    clearScreen: false,
    define,
    css: {
      modules: {
        localsConvention: 'camelCaseOnly',
        generateScopedName:
          options.mode === 'production' ? '[hash:base64:6]' : '[name]__[local]__[hash:base64:4]',
      },
    },
    server: {
      port,
      strictPort: true,
      host: 'localhost',
      fs: { allow: [projectRoot] },
    },
    preview: { port, strictPort: true, host: 'localhost' },
    build: {
      outDir: path.join(root, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      assetsInlineLimit: 0,
    },
  };
}
