/**
 * `npm run docs`: the partner documentation as static HTML that opens offline. Redocly renders the
 * HTTP and realtime references from the bundled contracts (scripts inlined, no CDN); the guides
 * are our Markdown in docs/; the error catalogue and the rate-limit table come from the contract.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { errorCatalogue, problemCodes } from '../../generated/v1/errors.js';
import { wsChannels } from '../../generated/v1/ws-events.js';
import { escapeHtml, inline, renderMarkdown } from './markdown.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BuildDocsOptions {
  /** Where the HTML goes; docs/reference/ by default. */
  outDir?: string;
  root?: string;
}

export interface Page {
  file: string;
  title: string;
  summary: string;
}

/** Every page the build writes, in the order of the navigation. */
export const PAGES: readonly Page[] = [
  { file: 'index.html', title: 'Overview', summary: 'Where to start.' },
  {
    file: 'http.html',
    title: 'HTTP API reference',
    summary: 'Every operation of the v1 HTTP API, with request and response examples.',
  },
  {
    file: 'realtime.html',
    title: 'Realtime API reference',
    summary: 'The WebSocket channels of the v1 realtime API, their messages and examples.',
  },
  {
    file: 'auth.html',
    title: 'Authentication, sessions and CSRF',
    summary: 'Surfaces and origins, session cookies, CSRF, timeouts and sign-in throttling.',
  },
  {
    file: 'realtime-guide.html',
    title: 'Realtime: connecting and catch-up',
    summary:
      'Channels, origins and sessions, the frame envelope, errors and close codes, safe sends and catch-up.',
  },
  {
    file: 'payments.html',
    title: 'Payments and credits',
    summary:
      'Checkout, the Stripe webhook, refunds, the local provider for development, and the credits rule.',
  },
  {
    file: 'rate-limits.html',
    title: 'Rate limits',
    summary: 'Per-IP, per-actor and global limits of every operation, and how a 429 looks.',
  },
  {
    file: 'errors.html',
    title: 'Errors',
    summary: 'Problem details, and the catalogue of every error code with its status and meaning.',
  },
  {
    file: 'mock.html',
    title: 'The mock server',
    summary: 'Build a frontend against `npm run mock` before the backend exists.',
  },
  {
    file: 'changelog.html',
    title: 'Changelog',
    summary: 'What changed in each version of the contracts.',
  },
];

const CSS = `
:root{--fg:#1d2321;--muted:#5b6661;--bg:#fbfaf7;--panel:#fff;--line:#e3e0d8;--accent:#2f6b4f;--code:#f3f1ec}
@media (prefers-color-scheme: dark){:root{--fg:#e8ebe9;--muted:#a3aea9;--bg:#161a18;--panel:#1e2320;--line:#333a36;--accent:#7cc4a0;--code:#262c29}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{border-bottom:1px solid var(--line);background:var(--panel)}
header .wrap{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;padding:.75rem 1.25rem}
header strong{margin-right:1rem}
nav a{color:var(--muted);text-decoration:none;font-size:.95rem}
nav a[aria-current=page]{color:var(--accent);font-weight:600}
nav a:hover,nav a:focus-visible{color:var(--accent);text-decoration:underline}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
a{color:var(--accent)}
h1,h2,h3{line-height:1.25}
h2{margin-top:2.25rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
code{font:.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:.1em .3em;border-radius:4px}
pre{background:var(--code);padding:1rem;border-radius:8px;overflow:auto}
pre code{padding:0;background:none}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:var(--code)}
tr:target{outline:2px solid var(--accent)}
blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:4px solid var(--accent);background:var(--panel)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;padding:0;list-style:none}
.cards li{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem}
.cards a{font-weight:600}
.muted{color:var(--muted)}
`;

function layout(page: Page, body: string, version: string): string {
  const nav = PAGES.map(
    (part) =>
      `<a href="${part.file}"${part.file === page.file ? ' aria-current="page"' : ''}>${escapeHtml(part.title)}</a>`,
  ).join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)} · Balance Kitchen API v${escapeHtml(version)}</title>
  <style>${CSS}</style>
</head>
<body>
  <header><div class="wrap"><strong>Balance Kitchen API v${escapeHtml(version)}</strong>
    <nav aria-label="Documentation">
      ${nav}
    </nav></div>
  </header>
  <main id="content">
${body}
  </main>
</body>
</html>
`;
}

/** `<script src>`, stylesheet `<link>`s, CSS `@import` and `url()` that point at another host. */
export function externalLoads(html: string): string[] {
  const found: string[] = [];
  const patterns = [
    /<script\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    /<link\b[^>]*\bhref\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    /@import\s+(?:url\()?\s*["']?((?:https?:)?\/\/[^"')\s;]+)/gi,
    /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi,
    /<(?:img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
    // Asset URLs inside scripts, which render them later (Redoc's logo is one).
    /["'`]((?:https?:)?\/\/[^"'`\s]+\.(?:m?js|css|woff2?|ttf|otf|eot|svg|png|jpe?g|gif|webp|ico))["'`]/gi,
  ];
  for (const re of patterns) for (const match of html.matchAll(re)) found.push(match[1]!);
  return found;
}

interface RateLimitWindow {
  limit: number;
  windowSeconds: number;
}

const windowText = (rateLimitWindow: RateLimitWindow | undefined) =>
  rateLimitWindow
    ? `${rateLimitWindow.limit} / ${rateLimitWindow.windowSeconds >= 60 && rateLimitWindow.windowSeconds % 60 === 0 ? `${rateLimitWindow.windowSeconds / 60} min` : `${rateLimitWindow.windowSeconds} s`}`
    : '—';

/** The parts of an operation in the bundled contract that the rate-limit page reads. */
interface GuardedOperation {
  operationId?: string;
  'x-balanceguard'?: {
    surface?: string;
    bodyLimit?: number;
    rateLimit?: { ip?: RateLimitWindow; actor?: RateLimitWindow; global?: RateLimitWindow };
  };
}

/** The parts of the bundled contract the docs read. */
interface BundledContract {
  info?: { version?: string };
  paths?: Record<string, Record<string, GuardedOperation | unknown>>;
}

function rateLimitTables(openapi: BundledContract): string {
  const rows: string[] = [];
  for (const [key, item] of Object.entries(openapi.paths ?? {})) {
    for (const [method, entry] of Object.entries(item)) {
      // Path items also hold `parameters` and `summary`; operations are the objects with an id.
      if (typeof entry !== 'object' || entry === null || !('operationId' in entry)) continue;
      const op = entry as GuardedOperation & { operationId: string };
      if (!op.operationId) continue;
      const guard = op['x-balanceguard'] ?? {};
      const rl = guard.rateLimit ?? {};
      rows.push(
        `<tr id="${escapeHtml(op.operationId)}"><td><code>${method.toUpperCase()} ${escapeHtml(key)}</code><br><span class="muted">${escapeHtml(op.operationId)}</span></td>` +
          `<td>${escapeHtml(String(guard.surface ?? ''))}</td><td>${windowText(rl.ip)}</td><td>${windowText(rl.actor)}</td><td>${windowText(rl.global)}</td>` +
          `<td>${guard.bodyLimit ? `${guard.bodyLimit} B` : 'no body'}</td></tr>`,
      );
    }
  }
  const wsRows: string[] = [];
  for (const channel of Object.values(wsChannels)) {
    for (const inbound of Object.values(channel.inbound) as {
      type: string;
      operationId: string;
      guard: {
        auth: string;
        weightedBy?: string;
        rateLimit: { connection?: RateLimitWindow; ip?: RateLimitWindow };
      };
    }[]) {
      const counts = inbound.guard.weightedBy
        ? `each item of <code>${escapeHtml(inbound.guard.weightedBy)}</code>`
        : 'each frame';
      wsRows.push(
        `<tr><td><code>${escapeHtml(channel.address)}</code> <code>${escapeHtml(inbound.type)}</code><br><span class="muted">${escapeHtml(inbound.operationId)}</span></td>` +
          `<td>${escapeHtml(inbound.guard.auth)}</td><td>${windowText(inbound.guard.rateLimit.connection)}</td><td>${windowText(inbound.guard.rateLimit.ip)}</td><td>${counts}</td></tr>`,
      );
    }
  }
  return `<h2 id="http-operations">Limits of every HTTP operation</h2>
<p class="muted">Generated from <code>x-balanceguard</code> in <code>contracts/v1/openapi.yaml</code>. A dash means the operation has no limit of that kind.</p>
<table><thead><tr><th>Operation</th><th>Surface</th><th>Per IP</th><th>Per actor</th><th>Global</th><th>Body limit</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<h2 id="realtime-messages">Limits of every realtime message</h2>
<p class="muted">Generated from <code>x-wsguard</code> in <code>contracts/v1/asyncapi.yaml</code>. A frame over the limit gets a <code>system.error</code> frame with code <code>WS.RATE_LIMITED</code>.</p>
<table><thead><tr><th>Message</th><th>Auth</th><th>Per connection</th><th>Per IP</th><th>Counts</th></tr></thead><tbody>
${wsRows.join('\n')}
</tbody></table>`;
}

function errorTable(): string {
  const rows = problemCodes.map((code) => {
    const errorCatalogueEntry = errorCatalogue[code];
    return `<tr id="${escapeHtml(code)}"><td><a href="#${escapeHtml(code)}"><code>${escapeHtml(code)}</code></a></td><td>${errorCatalogueEntry.status}</td><td>${inline(errorCatalogueEntry.title)}</td><td>${inline(errorCatalogueEntry.description)}</td></tr>`;
  });
  return `<h2 id="catalogue">Error catalogue</h2>
<p class="muted">Generated from <code>contracts/v1/components/errors.yaml</code>: every <code>code</code> a problem can carry. A problem's <code>type</code>, <code>/docs/errors#CODE</code>, points at its row here.</p>
<table><thead><tr><th>Code</th><th>Status</th><th>Title</th><th>Meaning</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/**
 * Redoc's sidebar footer loads the Redocly logo from cdn.redoc.ly at run time, even with
 * `--inlineBundle` (Redocly/redoc#2108; it hides the image when the load fails). Offline pages must
 * not reach out at all, so the logo becomes an inline SVG that says the same.
 */
const REDOC_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const LOCAL_LOGO =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="20" viewBox="0 0 96 20"><text x="0" y="15" font-family="sans-serif" font-size="13" fill="#8a8f98">Redocly</text></svg>',
  );

export async function makeOffline(file: string): Promise<void> {
  const html = await readFile(file, 'utf8');
  const fixed = html.replace(REDOC_LOGO, LOCAL_LOGO);
  if (fixed !== html) await writeFile(file, fixed);
}

async function redocly(root: string, input: string, output: string, title: string): Promise<void> {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  try {
    await run(
      process.execPath,
      [cli, 'build-docs', input, '--inlineBundle', '--output', output, '--title', title],
      {
        cwd: root,
        env: {
          ...process.env,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          NO_COLOR: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (err) {
    const entry = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(
      `redocly build-docs ${path.relative(root, input)} failed: ${entry.message}\n${entry.stdout ?? ''}${entry.stderr ?? ''}`,
      { cause: err },
    );
  }
  await makeOffline(output);
}

/** Builds every page of PAGES into outDir; returns the files written. Fails if a page loads anything from another host. */
export async function buildDocs(opts: BuildDocsOptions = {}): Promise<string[]> {
  const root = opts.root ?? REPO_ROOT;
  const outDir = path.resolve(opts.outDir ?? path.join(root, 'docs', 'reference'));
  await mkdir(outDir, { recursive: true });
  const openapiPath = path.join(root, 'generated', 'v1', 'openapi.json');
  const openapi = JSON.parse(await readFile(openapiPath, 'utf8')) as BundledContract;
  const version = String(openapi.info?.version ?? '1');
  const page = (file: string) => PAGES.find((page) => page.file === file)!;
  const guide = async (name: string) =>
    renderMarkdown(await readFile(path.join(root, 'docs', name), 'utf8')).html;

  await redocly(
    root,
    openapiPath,
    path.join(outDir, 'http.html'),
    `Balance Kitchen HTTP API v${version}`,
  );
  await redocly(
    root,
    path.join(root, 'generated', 'v1', 'asyncapi.json'),
    path.join(outDir, 'realtime.html'),
    `Balance Kitchen realtime API v${version}`,
  );

  const index = `<h1>Balance Kitchen API v${escapeHtml(version)}</h1>
<p>The HTTP and realtime APIs of Balance Kitchen, built from the versioned contracts in <code>contracts/v1/</code>. These pages work offline.</p>
<ul class="cards">
${PAGES.filter((page) => page.file !== 'index.html')
  .map(
    (page) =>
      `<li><a href="${page.file}">${escapeHtml(page.title)}</a><br><span class="muted">${inline(page.summary)}</span></li>`,
  )
  .join('\n')}
</ul>
<p class="muted">The contracts themselves: <a href="http.html">HTTP</a> (OpenAPI 3.1) and <a href="realtime.html">realtime</a> (AsyncAPI 3.0). Each reference page has a download button for the bundled document.</p>`;

  const pages: Record<string, string> = {
    'index.html': index,
    'auth.html': await guide('auth.md'),
    'realtime-guide.html': await guide('realtime.md'),
    'payments.html': await guide('payments.md'),
    'rate-limits.html': (await guide('rate-limits.md')) + rateLimitTables(openapi),
    'errors.html': (await guide('errors.md')) + errorTable(),
    'mock.html': await guide('mock.md'),
    'changelog.html': await guide('CHANGELOG.md'),
  };
  for (const [file, body] of Object.entries(pages))
    await writeFile(path.join(outDir, file), layout(page(file), body, version));

  const written = PAGES.map((page) => path.join(outDir, page.file));
  const problems: string[] = [];
  for (const file of written) {
    const loads = externalLoads(await readFile(file, 'utf8'));
    if (loads.length > 0) problems.push(`${path.basename(file)}: ${loads.join(', ')}`);
  }
  if (problems.length > 0)
    throw new Error(
      `The docs must open offline, but these pages load from other hosts:\n${problems.join('\n')}`,
    );
  return written;
}
