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
    .map((dir) => /^v(\d+)$/.exec(dir))
    .filter(
      (match): match is RegExpExecArray =>
        !!match && existsSync(path.join(dir, match[0], 'openapi.yaml')),
    )
    .map((match) => Number(match[1]))
    .sort((left, right) => left - right);
}

export const recordDir = (major: number, version: string) => `${RELEASES_DIR}/v${major}/${version}`;

/** The recorded versions of a major, newest first. */
export function releasesOf(root: string, major: number): string[] {
  const dir = path.join(root, RELEASES_DIR, `v${major}`);
  if (!existsSync(dir)) return [];
  return semver.rsort(
    readdirSync(dir).filter(
      (value) => semver.valid(value) === value && existsSync(path.join(dir, value, 'openapi.json')),
    ),
  );
}

export function readRelease(root: string, major: number, version: string): ContractDocs {
  const dir = path.join(root, recordDir(major, version));
  const read = (field: string) =>
    JSON.parse(readFileSync(path.join(dir, field), 'utf8')) as JsonObject;
  return { openapi: read('openapi.json'), asyncapi: read('asyncapi.json') };
}

const serialise = (doc: JsonObject) => JSON.stringify(doc, null, 2) + '\n';

export function sameRecord(left: ContractDocs, right: ContractDocs): boolean {
  return (
    serialise(left.openapi) === serialise(right.openapi) &&
    serialise(left.asyncapi) === serialise(right.asyncapi)
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
  const value = (jsonObject: JsonObject) =>
    isObject(jsonObject['info']) ? jsonObject['info']['version'] : undefined;
  const oa = value(docs.openapi);
  const aa = value(docs.asyncapi);
  if (typeof oa !== 'string' || semver.valid(oa) !== oa || semver.prerelease(oa))
    return { problem: `openapi.yaml info.version ${JSON.stringify(oa)} is not MAJOR.MINOR.PATCH` };
  if (oa !== aa)
    return {
      problem: `openapi.yaml says info.version ${oa} and asyncapi.yaml ${JSON.stringify(aa)}: one contract, one version`,
    };
  return { version: oa };
}
