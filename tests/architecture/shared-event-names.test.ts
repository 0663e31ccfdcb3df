import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MODULES = readdirSync(path.join(ROOT, 'server/modules'), { withFileTypes: true })
  .filter((dirent) => dirent.isDirectory())
  .map((dirent) => dirent.name);

/**
 * The strings in `source` (code only, not comments) that name a module's event, `<module>.<action>`:
 * shared code that reacts to one is doing that module's work (issue 12: the module subscribes to
 * its own events, as credits and identity do in their `*.realtime.ts`).
 */
function moduleEventNames(file: string, source: string, modules: readonly string[]): string[] {
  const pattern = new RegExp(`^(${modules.join('|')})\\.[a-z][a-z_]*$`);
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) && pattern.test(node.text)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function sharedSources(dir = path.join(ROOT, 'server/shared')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((dirent) => {
    const part = path.join(dir, dirent.name);
    if (dirent.isDirectory()) return sharedSources(part);
    return dirent.name.endsWith('.ts') && !dirent.name.endsWith('.test.ts') ? [part] : [];
  });
}

describe('server/shared names no module event', () => {
  it("when server/shared is scanned, then no source file names a module's event by string", () => {
    const hits = sharedSources().flatMap((file) =>
      moduleEventNames(file, readFileSync(file, 'utf8'), MODULES).map(
        (name) => `${path.relative(ROOT, file)}: '${name}'`,
      ),
    );
    expect(MODULES).toContain('identity');
    expect(hits).toEqual([]);
  });

  it('when a shared file subscribes to an identity event by string, then the check names it (and ignores comments)', () => {
    const fixture = [
      "// identity.sessions_ended is mentioned here only in a comment: 'identity.sessions_ended'",
      "const SESSIONS_ENDED = 'identity.sessions_ended';",
      'fanout.onEvent([`chat.message_posted`], () => undefined);',
      "send('system.error', problem);",
    ].join('\n');
    expect(moduleEventNames('fixture.ts', fixture, MODULES)).toEqual([
      'identity.sessions_ended',
      'chat.message_posted',
    ]);
  });
});
