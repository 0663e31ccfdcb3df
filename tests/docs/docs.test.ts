import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue, problemCodes } from '../../generated/v1/errors.js';
import { wsChannels } from '../../generated/v1/ws-events.js';
import { PAGES, REPO_ROOT, buildDocs, externalLoads } from '../../codegen/docs/build.js';
import { renderMarkdown } from '../../codegen/docs/markdown.js';

const openapi = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'generated/v1/openapi.json'), 'utf8'),
) as { paths: Record<string, Record<string, { operationId?: string }>> };
const operationIds = Object.values(openapi.paths).flatMap((item) =>
  Object.values(item)
    .map((op) => op.operationId)
    .filter((id): id is string => typeof id === 'string'),
);

describe('npm run docs', () => {
  let out: string;
  let written: string[];
  const page = (file: string) => readFileSync(path.join(out, file), 'utf8');

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'bk-docs-'));
    written = await buildDocs({ outDir: out });
  });
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('when the docs are built into a folder, then every page exists there and is HTML', () => {
    expect(written.map((field) => path.basename(field)).sort()).toEqual(
      PAGES.map((page) => page.file).sort(),
    );
    for (const part of PAGES) {
      expect(existsSync(path.join(out, part.file)), part.file).toBe(true);
      expect(page(part.file).slice(0, 200).toLowerCase()).toContain('<!doctype html>');
    }
  });

  it('when a page is opened offline, then it loads no script, style or font from another host', () => {
    const loads =
      /<script[^>]+src\s*=\s*["']?(https?:)?\/\/|<link[^>]+href\s*=\s*["']?(https?:)?\/\/|@import\s+(url\()?\s*["']?(https?:)?\/\/|url\(\s*["']?(https?:)?\/\/|["'`](https?:)?\/\/[^"'`\s]+\.(m?js|css|woff2?|ttf|otf|svg|png|jpe?g|gif|webp)["'`]|fonts\.(googleapis|gstatic)\.com|cdn\.redoc\.ly|cdn\.jsdelivr|unpkg\.com/i;
    for (const part of PAGES) {
      const html = page(part.file);
      expect(loads.exec(html)?.[0], part.file).toBeUndefined();
      expect(externalLoads(html), part.file).toEqual([]);
    }
  });

  it('when the references are built, then Redocly inlined its scripts and rendered both contracts', () => {
    const http = page('http.html');
    const realtime = page('realtime.html');
    expect(http).toMatch(/<script>[\s\S]{10000,}<\/script>/);
    for (const id of operationIds) expect(http, id).toContain(id);
    expect(realtime).toContain(wsChannels.site.address);
  });

  it('when the error catalogue is built, then it lists every problem code with its status and title', () => {
    const html = page('errors.html');
    for (const code of problemCodes) {
      const row = new RegExp(`<tr id="${code.replace(/\./g, '\\.')}">(.*?)</tr>`).exec(html)?.[1];
      expect(row, code).toBeDefined();
      expect(row).toContain(`<td>${errorCatalogue[code].status}</td>`);
    }
    expect(html).toContain('requestId');
  });

  it('when the rate-limit page is built, then every operation and realtime message has its row', () => {
    const html = page('rate-limits.html');
    for (const id of operationIds) expect(html, id).toContain(`<tr id="${id}">`);
    for (const type of Object.keys(wsChannels.site.inbound)) expect(html).toContain(type);
    expect(html).toContain('Retry-After');
  });

  it('when the changelog is built, then its releases name every operation and every channel message', () => {
    const html = page('changelog.html');
    expect(html).toContain('v1.0.0');
    for (const id of operationIds) expect(html, id).toContain(id);
    for (const channel of Object.values(wsChannels)) {
      for (const type of [...Object.keys(channel.inbound), ...Object.keys(channel.outbound)])
        expect(html, type).toContain(type);
    }
  });

  it('when the guides are built, then every page links every other page', () => {
    for (const part of PAGES) {
      if (part.file === 'http.html' || part.file === 'realtime.html') continue;
      const html = page(part.file);
      for (const query of PAGES)
        expect(html, `${part.file} -> ${query.file}`).toContain(`href="${query.file}"`);
    }
    expect(page('auth.html')).toContain('bk_admin_session');
    expect(page('auth.html')).toContain('X-CSRF-Token');
    expect(page('mock.html')).toContain('bk_admin_session=mock');
  });
});

describe('renderMarkdown', () => {
  it.each([
    ['# Title', '<h1 id="title">Title</h1>'],
    [
      'Some `<b>` and **bold** and *it*',
      '<p>Some <code>&lt;b&gt;</code> and <strong>bold</strong> and <em>it</em></p>',
    ],
    ['- a\n- b', '<ul><li>a</li><li>b</li></ul>'],
    ['1. a\n2. b', '<ol><li>a</li><li>b</li></ol>'],
    ['```js\nx < 1\n```', '<pre><code class="language-js">x &lt; 1</code></pre>'],
    [
      '| a | b |\n|---|---|\n| 1 | 2 |',
      '<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
    ],
    [
      'See [auth](auth.md#csrf) and [x](https://example.com)',
      '<p>See <a href="auth.html#csrf">auth</a> and <a href="https://example.com">x</a></p>',
    ],
    ['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    ['snake_case_name stays', '<p>snake_case_name stays</p>'],
  ])('when given %j, then it renders %s', (md, html) => {
    expect(renderMarkdown(md).html).toBe(html);
  });
});
