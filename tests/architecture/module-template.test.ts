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
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const pascal = (s: string) => s.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

function filesOf(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(MODULES_DIR, path.join(e.parentPath, e.name)));
}
const read = (file: string) => readFileSync(path.join(MODULES_DIR, file), 'utf8');

/** The method signatures of the repository interface in a port file. */
function methodsOf(source: string): string[] {
  const body = /export interface \w+Repository \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  return [...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]!);
}

describe('every module follows the module template', () => {
  it('when the modules are listed, then there are some', () => {
    expect(modules).toContain('enquiry');
  });

  for (const m of modules) {
    describe(m, () => {
      const files = filesOf(path.join(MODULES_DIR, m));

      it(`when other code imports ${m}, then index.ts exports create${pascal(m)}Module from ${m}.module.ts`, () => {
        expect(files).toContain(`${m}/index.ts`);
        expect(files).toContain(`${m}/${m}.module.ts`);
        expect(read(`${m}/${m}.module.ts`)).toMatch(
          new RegExp(`export function create${pascal(m)}Module\\(`),
        );
        expect(read(`${m}/index.ts`)).toMatch(new RegExp(`create${pascal(m)}Module`));
      });

      it(`when a use-case of ${m} reaches the database, then it is through the unit of work in ${m}.deps.ts`, () => {
        expect(files).toContain(`${m}/application/${m}.deps.ts`);
        expect(read(`${m}/application/${m}.deps.ts`)).toMatch(/uow: UnitOfWork</);
      });

      it(`when ${m} declares a port, then it is application/<name>.port.ts, one a file`, () => {
        expect(files.filter((f) => /\.ports\.ts$/.test(f))).toEqual([]);
        expect(files.filter((f) => /\.port\.ts$/.test(f) && !f.includes('/application/'))).toEqual(
          [],
        );
      });

      it(`when ${m} has a repository port, then infrastructure/ implements it and it has at most ${MAX_REPOSITORY_METHODS} methods`, () => {
        for (const port of files.filter((f) => f.endsWith('.repository.port.ts'))) {
          const adapter = port
            .replace('/application/', '/infrastructure/')
            .replace(/\.port\.ts$/, '.pg.ts');
          expect(files, port).toContain(adapter);
          expect(methodsOf(read(port)).length, port).toBeLessThanOrEqual(MAX_REPOSITORY_METHODS);
          expect(methodsOf(read(port)).length, port).toBeGreaterThan(0);
        }
      });

      it(`when ${m}'s use-cases, transport or wiring run, then none opens a transaction or sends SQL itself`, () => {
        const outside = files.filter(
          (f) => !f.includes('/infrastructure/') && !f.endsWith('.test.ts'),
        );
        for (const f of outside) {
          const source = read(f);
          expect(source, f).not.toMatch(/\.tx\(/);
          expect(source, f).not.toMatch(/\.query(<[^>]*>)?\(/);
        }
      });
    });
  }
});
