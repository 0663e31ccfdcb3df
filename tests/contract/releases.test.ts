/**
 * Versions and release records (codegen/breaking/gate.ts): the working contract of each
 * `contracts/v<N>` must be at the newest recorded release of major N, and `contracts:release`
 * records a version only when nothing breaks against the previous record.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkMajor, releaseMajor } from '../../codegen/breaking/gate.js';
import { releasesOf, writeRelease } from '../../codegen/breaking/releases.js';
import { released } from './breaking.fixture.js';

type Doc = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
type Docs = { openapi: Doc; asyncapi: Doc };

const trees: string[] = [];
afterAll(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

const at = (version: string, change: (docs: Docs) => void = () => {}): Docs => {
  const data = released();
  data.openapi.info.version = version;
  data.asyncapi.info.version = version;
  change(data);
  return data;
};

/** A project tree with working contracts per major and the given release records. */
function tree(working: Record<number, Docs>, records: [number, Docs][]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bk-releases-'));
  trees.push(root);
  for (const [major, docs] of Object.entries(working)) {
    const dir = path.join(root, `contracts/v${major}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'openapi.yaml'), stringify(docs.openapi));
    writeFileSync(path.join(dir, 'asyncapi.yaml'), stringify(docs.asyncapi));
  }
  for (const [major, docs] of records) writeRelease(root, major, docs.openapi.info.version, docs);
  return root;
}

const removeOp = (docs: Docs) => delete docs.openapi.paths['/removed'];
const addOp = (docs: Docs) =>
  (docs.openapi.paths['/added'] = {
    get: { ...docs.openapi.paths['/removed'].get, operationId: 'added' },
  });

describe('npm run contracts:breaking: versions', () => {
  it('when the working contract is the last recorded release, then it passes', async () => {
    const report = await checkMajor(
      tree({ 1: at('1.2.0') }, [
        [1, at('1.1.0')],
        [1, at('1.2.0')],
      ]),
      1,
    );
    expect(report.errors).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/no breaking change against the released 1\.2\.0/);
  });

  it('when compatible changes wait at the released version, then it passes and counts them', async () => {
    const report = await checkMajor(tree({ 1: at('1.2.0', addOp) }, [[1, at('1.2.0')]]), 1);
    expect(report.errors).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/compatible change\(s\) not released yet/);
  });

  it('when a major has no release record, then it fails asking for contracts:release', async () => {
    const report = await checkMajor(tree({ 1: at('1.0.0') }, []), 1);
    expect(report.errors.join('\n')).toMatch(/no release record.*npm run contracts:release/);
  });

  it('when info.version is ahead of the last record, then it fails asking for contracts:release', async () => {
    const report = await checkMajor(tree({ 1: at('1.3.0') }, [[1, at('1.2.0')]]), 1);
    expect(report.errors.join('\n')).toMatch(
      /at 1\.3\.0, ahead of the last recorded release 1\.2\.0: record it with `npm run contracts:release`/,
    );
  });

  it('when info.version is behind the last record, then it fails', async () => {
    const report = await checkMajor(
      tree({ 1: at('1.1.0') }, [
        [1, at('1.1.0')],
        [1, at('1.2.0')],
      ]),
      1,
    );
    expect(report.errors.join('\n')).toMatch(/behind the last recorded release 1\.2\.0/);
  });

  it('when the two documents disagree on the version, then it fails', async () => {
    const docs = at('1.2.0');
    docs.asyncapi.info.version = '1.3.0';
    const report = await checkMajor(tree({ 1: docs }, [[1, at('1.2.0')]]), 1);
    expect(report.errors.join('\n')).toMatch(/one contract, one version/);
  });

  it('when contracts/v1 jumps to 2.0.0 with a break, then it fails for the major and still names the break', async () => {
    const report = await checkMajor(tree({ 1: at('2.0.0', removeOp) }, [[1, at('1.2.0')]]), 1);
    const text = report.errors.join('\n');
    expect(text).toMatch(/contracts\/v1 is at 2\.0\.0: major 2 needs its own contracts\/v2/);
    expect(text).toMatch(/path \/removed {2}path-removed/);
  });

  it('when v2 sits beside v1, each at its own record, then both pass', async () => {
    const root = tree({ 1: at('1.2.0'), 2: at('2.0.0', removeOp) }, [
      [1, at('1.2.0')],
      [2, at('2.0.0', removeOp)],
    ]);
    expect((await checkMajor(root, 1)).errors).toEqual([]);
    expect((await checkMajor(root, 2)).errors).toEqual([]);
  });
});

describe('npm run contracts:release', () => {
  it('when the new version breaks the last record, then it refuses and records nothing', async () => {
    const root = tree({ 1: at('1.3.0', removeOp) }, [[1, at('1.2.0')]]);
    const report = await releaseMajor(root, 1, false);
    expect(report.errors.join('\n')).toMatch(/1 breaking change\(s\) against the released 1\.2\.0/);
    expect(releasesOf(root, 1)).toEqual(['1.2.0']);
  });

  it('when the new version is compatible, then it records it once', async () => {
    const root = tree({ 1: at('1.3.0', addOp) }, [[1, at('1.2.0')]]);
    const first = await releaseMajor(root, 1, false);
    expect(first.errors).toEqual([]);
    expect(first.notes.join('\n')).toMatch(/recorded 1\.3\.0 in contracts\/releases\/v1\/1\.3\.0/);
    expect(releasesOf(root, 1)).toEqual(['1.3.0', '1.2.0']);
    expect((await releaseMajor(root, 1, false)).notes.join('\n')).toMatch(/already recorded/);
    expect((await checkMajor(root, 1)).errors).toEqual([]);
  });

  it('when the recorded version has other content, then it refuses unless --amend', async () => {
    const root = tree({ 1: at('1.0.0', addOp) }, [[1, at('1.0.0')]]);
    expect((await releaseMajor(root, 1, false)).errors.join('\n')).toMatch(
      /1\.0\.0 is already recorded with other content: bump info\.version/,
    );
    expect((await releaseMajor(root, 1, true)).errors).toEqual([]);
    expect((await releaseMajor(root, 1, false)).notes.join('\n')).toMatch(/already recorded/);
  });

  it('when contracts/v1 says 2.0.0, then it refuses to record it under v1', async () => {
    const root = tree({ 1: at('2.0.0') }, [[1, at('1.2.0')]]);
    expect((await releaseMajor(root, 1, false)).errors.join('\n')).toMatch(
      /needs its own contracts\/v2/,
    );
    expect(releasesOf(root, 1)).toEqual(['1.2.0']);
  });
});
