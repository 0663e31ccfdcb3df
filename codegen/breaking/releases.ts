/**
 * Release records: `contracts/releases/v<N>/<version>/{openapi,asyncapi}.json`, the bundled
 * contracts of every version that shipped, written by `npm run contracts:release`. The gate compares
 * the working contracts of `contracts/v<N>` with the newest record of major N.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { isObject, type JsonObject } from '../load.js';
import type { ContractDocs } from './policy.js';

export const RELEASES_DIR = 'contracts/releases';

/** The majors that have a working contract: `contracts/v<N>/openapi.yaml`, oldest first. */
export function majors(root: string): number[] {
  const dir = path.join(root, 'contracts');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => /^v(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => !!m && existsSync(path.join(dir, m[0], 'openapi.yaml')))
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export const recordDir = (major: number, version: string) => `${RELEASES_DIR}/v${major}/${version}`;

/** The recorded versions of a major, newest first. */
export function releasesOf(root: string, major: number): string[] {
  const dir = path.join(root, RELEASES_DIR, `v${major}`);
  if (!existsSync(dir)) return [];
  return semver.rsort(
    readdirSync(dir).filter(
      (v) => semver.valid(v) === v && existsSync(path.join(dir, v, 'openapi.json')),
    ),
  );
}

export function readRelease(root: string, major: number, version: string): ContractDocs {
  const dir = path.join(root, recordDir(major, version));
  const read = (f: string) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as JsonObject;
  return { openapi: read('openapi.json'), asyncapi: read('asyncapi.json') };
}

const serialise = (doc: JsonObject) => JSON.stringify(doc, null, 2) + '\n';

export function sameRecord(a: ContractDocs, b: ContractDocs): boolean {
  return (
    serialise(a.openapi) === serialise(b.openapi) && serialise(a.asyncapi) === serialise(b.asyncapi)
  );
}

export function writeRelease(root: string, major: number, version: string, docs: ContractDocs) {
  const dir = path.join(root, recordDir(major, version));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'openapi.json'), serialise(docs.openapi));
  writeFileSync(path.join(dir, 'asyncapi.json'), serialise(docs.asyncapi));
}

/**
 * The one version of a working contract: both documents must say the same plain `MAJOR.MINOR.PATCH`.
 * Returns the version or why there is none.
 */
export function versionOf(docs: ContractDocs): { version: string } | { problem: string } {
  const v = (d: JsonObject) => (isObject(d['info']) ? d['info']['version'] : undefined);
  const oa = v(docs.openapi);
  const aa = v(docs.asyncapi);
  if (typeof oa !== 'string' || semver.valid(oa) !== oa || semver.prerelease(oa))
    return { problem: `openapi.yaml info.version ${JSON.stringify(oa)} is not MAJOR.MINOR.PATCH` };
  if (oa !== aa)
    return {
      problem: `openapi.yaml says info.version ${oa} and asyncapi.yaml ${JSON.stringify(aa)}: one contract, one version`,
    };
  return { version: oa };
}
