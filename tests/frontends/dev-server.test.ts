import { describe, expect, it } from 'vitest';
import { startFrontends } from '../../frontends/dev.js';
import { surfaceConfig } from '../../frontends/vite.config.js';

describe('frontends dev servers', () => {
  it('surface configs pin their ports strictly and read the env from the project root', () => {
    const site = surfaceConfig('site');
    expect(site.server?.port).toBe(5173);
    expect(site.server?.strictPort).toBe(true);
    expect(surfaceConfig('admin').server?.port).toBe(5175);
    expect(
      surfaceConfig('client', { apiBase: 'http://localhost:3999' }).define?.[
        'import.meta.env.VITE_API_BASE'
      ],
    ).toBe('"http://localhost:3999"');
  });

  it('when started on free ports, then each surface serves its own index page, and close() stops them', async () => {
    const ports = { site: 25173, client: 25174, admin: 25175 };
    const fe = await startFrontends({ apiBase: 'http://localhost:3999', ports });
    try {
      expect(fe.urls).toEqual({
        site: 'http://localhost:25173',
        client: 'http://localhost:25174',
        admin: 'http://localhost:25175',
      });
      for (const [surface, url] of Object.entries(fe.urls)) {
        const html = await (await fetch(url)).text();
        expect(html, surface).toContain('<div id="app">');
        expect(html).toContain('index.ts');
      }
    } finally {
      await fe.close();
    }
    await expect(fetch(fe.urls.site)).rejects.toThrow();
  });
});
