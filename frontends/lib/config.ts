/**
 * Where a surface finds its backend. ONE setting switches to the mock:
 * `VITE_BK_BACKEND=mock` → Prism on :4010 and the mock WS on :4011. Otherwise the real API at
 * `VITE_API_BASE` (default http://localhost:3000), with WebSockets on the same host.
 */
export interface BackendConfig {
  readonly mode: 'mock' | 'real';
  readonly apiBase: string;
  readonly wsBase: string;
}

export interface BackendEnv {
  VITE_BK_BACKEND?: string | undefined;
  VITE_API_BASE?: string | undefined;
}

export const MOCK_API_BASE = 'http://localhost:4010';
export const MOCK_WS_BASE = 'ws://localhost:4011';
export const DEFAULT_API_BASE = 'http://localhost:3000';

/** The WebSocket origin of an HTTP origin: same host and port, ws/wss scheme. */
export function wsBaseFor(apiBase: string): string {
  return new URL(apiBase).origin.replace(/^http/, 'ws');
}

export function resolveBackend(env: BackendEnv): BackendConfig {
  if ((env.VITE_BK_BACKEND ?? '').trim().toLowerCase() === 'mock') {
    return Object.freeze({ mode: 'mock', apiBase: MOCK_API_BASE, wsBase: MOCK_WS_BASE });
  }
  const raw = (env.VITE_API_BASE ?? '').trim() || DEFAULT_API_BASE;
  const apiBase = new URL(raw).origin;
  return Object.freeze({ mode: 'real', apiBase, wsBase: wsBaseFor(apiBase) });
}

/** The backend this build talks to; Vite inlines the env at build time. */
// Read through a widened type so this file also typechecks outside Vite (node tests).
const viteEnv = (import.meta as ImportMeta & { env?: BackendEnv }).env ?? {};
export const backend: BackendConfig = resolveBackend({
  VITE_BK_BACKEND: viteEnv.VITE_BK_BACKEND,
  VITE_API_BASE: viteEnv.VITE_API_BASE,
});
