import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, PROJECT_ROOT, type Fixture } from './fixture.js';

const cli = (...args: string[]) =>
  spawnSync(
    path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
    [path.join(PROJECT_ROOT, 'codegen/cli.ts'), ...args],
    { encoding: 'utf8', cwd: PROJECT_ROOT },
  );

let field: Fixture;
beforeAll(() => {
  field = fixture();
  const gen = cli('--root', field.root);
  expect(gen.status, gen.stderr).toBe(0);
});
afterAll(() => field?.cleanup());

describe('npm run generate:check', () => {
  it('when generated/ matches the contracts, then --check exits 0', () => {
    const run = cli('--check', '--root', field.root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('when a contract file was edited without regenerating, then --check exits non-zero with a diff in stderr', () => {
    const file = path.join(field.root, 'contracts/v1/openapi.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('summary: Create a thing', 'summary: Create a new thing'),
    );
    const run = cli('--check', '--root', field.root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('generated/v1 is stale');
    expect(run.stderr).toMatch(/^\+.*Create a new thing/m);
    expect(run.stderr).toMatch(/^-.*Create a thing/m);
  });
});
