/**
 * A deliberately small Markdown to HTML converter for our own guides in docs/: ATX headings,
 * paragraphs, bullet and numbered lists (one level), fenced code, tables, block quotes, and inline
 * code, bold, italics and links. No package in node_modules offers one we can rely on (none is a
 * direct dependency), and the guides are ours, so we keep to what they use. Everything is escaped:
 * raw HTML in a guide is shown, not rendered.
 */

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** `guide.md` links become `guide.html`, so the built pages link to each other. */
function href(url: string): string {
  return url.replace(
    /^(\.\/)?([\w-]+)\.md(#.*)?$/,
    (_m, _dot, name: string, hash: string | undefined) =>
      `${name === 'README' ? 'index' : name.toLowerCase()}.html${hash ?? ''}`,
  );
}

export function inline(text: string): string {
  const codes: string[] = [];
  let textItem = text.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(`<code>${escapeHtml(code)}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  textItem = escapeHtml(textItem);
  textItem = textItem.replace(
    /\[([^\]]+)\]\(([^)\s]+)\)/g,
    (_m, label: string, url: string) => `<a href="${href(url)}">${label}</a>`,
  );
  textItem = textItem.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  textItem = textItem.replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>');
  textItem = textItem.replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>');
  // The NUL bytes are deliberate sentinels around stashed code spans; text cannot contain them.
  // eslint-disable-next-line no-control-regex
  return textItem.replace(/\u0000(\d+)\u0000/g, (_m, text: string) => codes[Number(text)] ?? '');
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((char) => char.trim().replace(/\\\|/g, '|'));

export interface RenderedMarkdown {
  html: string;
  /** The first `# ` heading, for the page title. */
  title: string | undefined;
}

export function renderMarkdown(md: string): RenderedMarkdown {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let title: string | undefined;
  let index = 0;
  const isBlockStart = (line: string) => /^(#{1,6}\s|```|\s*[-*]\s|\s*\d+\.\s|>|\|)/.test(line);

  while (index < lines.length) {
    const line = lines[index]!;
    if (line.trim() === '') {
      index++;
      continue;
    }
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      index++;
      while (index < lines.length && !lines[index]!.startsWith('```')) body.push(lines[index++]!);
      index++;
      out.push(
        `<pre><code${fence[1] ? ` class="language-${fence[1]}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`,
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const text = heading[2]!.trim();
      if (level === 1 && title === undefined) title = text.replace(/`/g, '');
      out.push(`<h${level} id="${slug(text)}">${inline(text)}</h${level}>`);
      index++;
      continue;
    }
    if (
      line.startsWith('|') &&
      index + 1 < lines.length &&
      /^\|?\s*:?-{3,}/.test(lines[index + 1]!)
    ) {
      const head = splitRow(line);
      index += 2;
      const rows: string[][] = [];
      while (index < lines.length && lines[index]!.trim().startsWith('|'))
        rows.push(splitRow(lines[index++]!));
      out.push(
        `<table><thead><tr>${head.map((header) => `<th>${inline(header)}</th>`).join('')}</tr></thead><tbody>` +
          rows
            .map((row) => `<tr>${row.map((char) => `<td>${inline(char)}</td>`).join('')}</tr>`)
            .join('') +
          '</tbody></table>',
      );
      continue;
    }
    if (line.startsWith('>')) {
      const body: string[] = [];
      while (index < lines.length && lines[index]!.startsWith('>'))
        body.push(lines[index++]!.replace(/^>\s?/, ''));
      out.push(`<blockquote>${renderMarkdown(body.join('\n')).html}</blockquote>`);
      continue;
    }
    const list = /^\s*([-*]|\d+\.)\s+/.exec(line);
    if (list) {
      const ordered = /\d/.test(list[1]!);
      const items: string[] = [];
      while (index < lines.length) {
        const lineItem = lines[index]!;
        const match = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(lineItem);
        if (match && /\d/.test(match[1]!) === ordered) {
          items.push(match[2]!);
          index++;
        } else if (lineItem.trim() !== '' && /^\s{2,}\S/.test(lineItem) && items.length > 0) {
          items[items.length - 1] += ' ' + lineItem.trim();
          index++;
        } else break;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((it) => `<li>${inline(it)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (
      index < lines.length &&
      lines[index]!.trim() !== '' &&
      (para.length === 0 || !isBlockStart(lines[index]!))
    )
      para.push(lines[index++]!.trim());
    out.push(`<p>${inline(para.join(' '))}</p>`);
  }
  return { html: out.join('\n'), title };
}
