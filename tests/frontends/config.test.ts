import { describe, expect, it } from 'vitest';
import { resolveBackend, wsBaseFor } from '../../frontends/lib/config.js';

describe('backend selection', () => {
  it('when VITE_BK_BACKEND=mock, then Prism on 4010 and the mock WS on 4011, whatever VITE_API_BASE says', () => {
    expect(
      resolveBackend({ VITE_BK_BACKEND: 'mock', VITE_API_BASE: 'http://api.example:9999' }),
    ).toEqual({ mode: 'mock', apiBase: 'http://localhost:4010', wsBase: 'ws://localhost:4011' });
    expect(resolveBackend({ VITE_BK_BACKEND: ' MOCK ' }).mode).toBe('mock');
  });
  it('when nothing is set, then the real API on :3000 with WS on the same host', () => {
    expect(resolveBackend({})).toEqual({
      mode: 'real',
      apiBase: 'http://localhost:3000',
      wsBase: 'ws://localhost:3000',
    });
  });
  it('when VITE_API_BASE is set, then it is used and WS follows its scheme and host', () => {
    expect(resolveBackend({ VITE_API_BASE: 'https://api.balance.kitchen/' })).toEqual({
      mode: 'real',
      apiBase: 'https://api.balance.kitchen',
      wsBase: 'wss://api.balance.kitchen',
    });
    expect(wsBaseFor('http://127.0.0.1:3100')).toBe('ws://127.0.0.1:3100');
  });
});
