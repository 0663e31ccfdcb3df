import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The top-level folders whose paths the docs name; a path under any other is not checked. */
const TOP = ['server', 'frontends', 'codegen', 'contracts', 'tests', 'generated', 'docs'];

/**
 * A repository path in a code span or a fenced block: starts at a token boundary (so the tail of
 * `../../generated/v1/x.js` in an import is not taken for a path) and runs to whitespace, a quote,
 * a bracket, a colon (`file.ts:42`) or a `#` (`file.md#anchor`).
 */
const PATH = new RegExp(
  `(?<![\\w@./-])(?:\\./)?((?:${TOP.join('|')})/[^\\s\`'"()\\[\\],;:#|]*)`,
  'g',
);

/** Paths a doc names on purpose as not there yet, each with why. */
const NOT_YET: Readonly<Record<string, string>> = {
  'contracts/v2': 'docs/contracts.md: where a 2.0.0 of the contracts would go',
};

/** `<module>`, `*.test.ts`, `{a,b}`, `$1`, `...`: a pattern the text stands for, not a file. */
const PLACEHOLDER = /[<>*{}$…]|\.\.\./;

interface DocPath {
  line: number;
  path: string;
}

/**
 * The repository paths a markdown text names: inside inline code spans and fenced blocks (the
 * diagrams in docs/architecture.md name files there too), and relative `.md` links. Placeholders
 * are skipped; a trailing full stop is not part of a path.
 */
function docPaths(markdown: string, docDir = 'docs'): DocPath[] {
  const found: DocPath[] = [];
  const add = (line: number, raw: string) => {
    if (PLACEHOLDER.test(raw)) return;
    const part = raw.replace(/[.,]+$/, '');
    if (part) found.push({ line, path: part });
  };
  const lines = markdown.split('\n');
  let fence: string | null = null;
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    // In a fence every token counts; `<br/>` separates a diagram node's lines.
    const spans =
      fence !== null
        ? [text.replace(/<br\s*\/?>/gi, ' ')]
        : [...text.matchAll(/(`+)(.+?)\1/g)].map((match) => match[2]!);
    for (const span of spans) for (const match of span.matchAll(PATH)) add(line, match[1]!);
    if (fence !== null) continue;
    for (const match of text.matchAll(/\]\(((?!\w+:)[^)#\s]+\.md)(?:#[^)]*)?\)/g))
      add(line, path.posix.join(docDir, match[1]!));
  }
  return found;
}

/** Folders .gitignore names (`docs/reference/`, `dist/`): what a command makes, not kept in git. */
function ignoredFolders(): ((path: string) => boolean)[] {
  return readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !/[*!#]/.test(line))
    .map((line) => {
      const name = line.replace(/^\/|\/$/g, '');
      return name.includes('/')
        ? (path: string) => path === name || path.startsWith(`${name}/`)
        : (path: string) => path.split('/').includes(name);
    });
}

/** docs/*.md, the README a newcomer reads first, and the READMEs beside the tests. */
function documents(): string[] {
  const inDocs = readdirSync(path.join(ROOT, 'docs'))
    .filter((field) => field.endsWith('.md'))
    .map((field) => `docs/${field}`);
  const testReadmes = readdirSync(path.join(ROOT, 'tests'), { withFileTypes: true })
    .filter(
      (dirent) =>
        dirent.isDirectory() && existsSync(path.join(ROOT, 'tests', dirent.name, 'README.md')),
    )
    .map((dirent) => `tests/${dirent.name}/README.md`);
  return ['README.md', ...inDocs, ...testReadmes];
}

describe('the paths the docs name exist', () => {
  it('when every doc is read, then each source path it names in backticks exists in the tree', () => {
    const ignored = ignoredFolders();
    const docs = documents();
    const missing: string[] = [];
    let checked = 0;
    for (const doc of docs) {
      const found = docPaths(readFileSync(path.join(ROOT, doc), 'utf8'), path.posix.dirname(doc));
      for (const { line, path: part } of found) {
        if (ignored.some((isIgnored) => isIgnored(part)) || part.replace(/\/$/, '') in NOT_YET)
          continue;
        checked++;
        if (!existsSync(path.join(ROOT, part))) missing.push(`${doc}:${line}: ${part}`);
      }
    }
    expect(docs).toContain('docs/architecture.md');
    expect(checked).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it('when a doc names paths, then spans, fences and links are read and placeholders skipped', () => {
    const fixture = [
      'See `server/main.ts` and `server/shared/http/problem.ts:42`, run `tsx server/dev/start.ts`.',
      'Not these: `server/modules/<module>/`, `tests/**/*.test.ts`, `contracts/v1/...`, `./README.md`.',
      "An import's tail is not a path: `import x from '../../generated/v1/handlers.js'`.",
      'Links: [errors](errors.md#codes), [site](https://example.com/x.md), [ref](realtime.html).',
      '```mermaid',
      'flowchart LR',
      '  A["server/shared/events/relay.ts<br/>createOutboxRelay"] --> B[tests/realtime/]',
      '```',
      'After the fence, `frontends/lib/ws-client.ts`.',
    ].join('\n');
    expect(docPaths(fixture)).toEqual([
      { line: 1, path: 'server/main.ts' },
      { line: 1, path: 'server/shared/http/problem.ts' },
      { line: 1, path: 'server/dev/start.ts' },
      { line: 4, path: 'docs/errors.md' },
      { line: 7, path: 'server/shared/events/relay.ts' },
      { line: 7, path: 'tests/realtime/' },
      { line: 9, path: 'frontends/lib/ws-client.ts' },
    ]);
  });
});
