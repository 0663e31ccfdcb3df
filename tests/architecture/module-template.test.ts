/**
 * Every module has the one shape docs/adding-a-module.md describes, so the next module copies the
 * template whichever module its author opens first: `create<Module>Module` in index.ts, its deps in
 * application/<module>.deps.ts with a unit of work, one port a file in application/, an adapter for
 * every repository port, small repositories, and no SQL or transaction outside infrastructure/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULES_DIR = path.resolve(import.meta.dirname, '../../server/modules');
const MAX_REPOSITORY_METHODS = 12;

const modules = readdirSync(MODULES_DIR, { withFileTypes: true })
  .filter((dirent) => dirent.isDirectory())
  .map((dirent) => dirent.name);
const pascal = (text: string) =>
  text.replace(/(^|-)([a-z])/g, (_m, _d, char: string) => char.toUpperCase());

function filesOf(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((dirent) => dirent.isFile() && dirent.name.endsWith('.ts'))
    .map((dirent) => path.relative(MODULES_DIR, path.join(dirent.parentPath, dirent.name)));
}
const read = (file: string) => readFileSync(path.join(MODULES_DIR, file), 'utf8');

/** The method signatures of the repository interface in a port file. */
function methodsOf(source: string): string[] {
  const body = /export interface \w+Repository \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^ {2}(\w+)\(/gm)].map((match) => match[1]!);
}

describe('every module follows the module template', () => {
  it('when the modules are listed, then there are some', () => {
    expect(modules).toContain('enquiry');
  });

  for (const message of modules) {
    describe(message, () => {
      const files = filesOf(path.join(MODULES_DIR, message));

      it(`when other code imports ${message}, then index.ts exports create${pascal(message)}Module from ${message}.module.ts`, () => {
        expect(files).toContain(`${message}/index.ts`);
        expect(files).toContain(`${message}/${message}.module.ts`);
        expect(read(`${message}/${message}.module.ts`)).toMatch(
          new RegExp(`export function create${pascal(message)}Module\\(`),
        );
        expect(read(`${message}/index.ts`)).toMatch(new RegExp(`create${pascal(message)}Module`));
      });

      it(`when a use-case of ${message} reaches the database, then it is through the unit of work in ${message}.deps.ts`, () => {
        expect(files).toContain(`${message}/application/${message}.deps.ts`);
        expect(read(`${message}/application/${message}.deps.ts`)).toMatch(/uow: UnitOfWork</);
      });

      it(`when ${message} declares a port, then it is application/<name>.port.ts, one a file`, () => {
        expect(files.filter((file) => /\.ports\.ts$/.test(file))).toEqual([]);
        expect(
          files.filter((file) => /\.port\.ts$/.test(file) && !file.includes('/application/')),
        ).toEqual([]);
      });

      it(`when ${message} has a repository port, then infrastructure/ implements it and it has at most ${MAX_REPOSITORY_METHODS} methods`, () => {
        for (const port of files.filter((file) => file.endsWith('.repository.port.ts'))) {
          const adapter = port
            .replace('/application/', '/infrastructure/')
            .replace(/\.port\.ts$/, '.pg.ts');
          expect(files, port).toContain(adapter);
          expect(methodsOf(read(port)).length, port).toBeLessThanOrEqual(MAX_REPOSITORY_METHODS);
          expect(methodsOf(read(port)).length, port).toBeGreaterThan(0);
        }
      });

      it(`when ${message}'s use-cases, transport or wiring run, then none opens a transaction or sends SQL itself`, () => {
        const outside = files.filter(
          (file) => !file.includes('/infrastructure/') && !file.endsWith('.test.ts'),
        );
        for (const field of outside) {
          const source = read(field);
          expect(source, field).not.toMatch(/\.tx\(/);
          expect(source, field).not.toMatch(/\.query(<[^>]*>)?\(/);
        }
      });
    });
  }
});
