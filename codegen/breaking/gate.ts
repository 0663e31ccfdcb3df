/**
 * The breaking gate (`npm run contracts:breaking`) and the release recorder
 * (`npm run contracts:release`). The rules, for each `contracts/v<N>` (docs/contracts.md):
 * - both documents say one version, `N.x.y`: a new major lives in its own `contracts/v<N+1>`;
 * - the version equals the newest release record of major N: a bumped version ships with its record,
 *   written by `contracts:release` in the same change;
 * - nothing breaks against that record (differ.ts for the documents, policy.ts for our extensions
 *   and the envelope). Compatible changes may wait at the released version until the next bump.
 */
import semver from 'semver';
import {
  CodegenError,
  CodegenErrors,
  escapePointerToken,
  unescapePointerToken,
} from '../errors.js';
import { bundleContracts, isObject, type Bundle, type Json, type JsonObject } from '../load.js';
import { asyncApiView, redoclyDiff, type DiffResult } from './differ.js';
import { comparePolicies, type Break, type ContractDocs, type DocumentKind } from './policy.js';
import {
  readRelease,
  recordDir,
  releasesOf,
  sameRecord,
  versionOf,
  writeRelease,
} from './releases.js';

export interface Report {
  errors: string[];
  notes: string[];
}

/** Where a break points, for people: `released` pointers name the record, `working` ones a contract file. */
export type Locate = (
  document: DocumentKind,
  side: 'released' | 'working',
  pointer: string,
) => string;

const tokensOf = (path: string) =>
  path
    .replace(/^#?\/?/, '')
    .split('/')
    .filter((text) => text !== '')
    .map(unescapePointerToken);

const obj = (value: Json | undefined): JsonObject => (isObject(value) ? value : {});

const step = (node: Json | undefined, text: string): Json | undefined =>
  isObject(node) ? node[text] : Array.isArray(node) ? node[Number(text)] : undefined;

/** The contract file and pointer a bundled node came from, following local `$ref`s on the way. */
function sourceIn(bundle: Bundle, pointer: string): string | undefined {
  let node: Json | undefined = bundle.doc;
  let found = bundle.sourceOf(node);
  let rest = '';
  for (const text of tokensOf(pointer)) {
    for (let index = 0; index < 10 && isObject(node) && typeof node['$ref'] === 'string'; index++)
      node = tokensOf(node['$ref']).reduce<Json | undefined>(step, bundle.doc);
    node = step(node, text);
    if (node === undefined) return undefined;
    const src = bundle.sourceOf(node);
    if (src) [found, rest] = [src, ''];
    else rest += '/' + escapePointerToken(text);
  }
  return found ? `${found.file}#${found.pointer}${rest}` : undefined;
}

function locator(bundles: { http: Bundle; ws: Bundle }, record: string | undefined): Locate {
  return (document, side, pointer) => {
    if (side === 'released') return `${record ?? 'the release record'}/${document}.json#${pointer}`;
    const order = document === 'openapi' ? [bundles.http] : [bundles.ws, bundles.http];
    for (const bundle of order) {
      const text = sourceIn(bundle, pointer);
      if (text) return text;
    }
    return `the bundled ${document} document#${pointer}`;
  };
}

/** Every break from `old` to `now`: the differ on both documents, then our own policy check. */
export async function compareContracts(
  old: ContractDocs,
  now: ContractDocs,
  locate: Locate = (dir, text, path) => `${text} ${dir}#${path}`,
): Promise<DiffResult> {
  const same = (left: JsonObject, right: JsonObject) =>
    JSON.stringify({ ...left, info: { ...obj(left['info']), version: '' } }) ===
    JSON.stringify({ ...right, info: { ...obj(right['info']), version: '' } });
  // Nothing but the version changed: nothing for the differ to find (and a second or two saved).
  if (same(old.openapi, now.openapi) && same(old.asyncapi, now.asyncapi))
    return { breaks: [], compatible: 0 };
  const [http, ws] = await Promise.all([
    redoclyDiff('openapi', old.openapi, now.openapi, (text, path) => locate('openapi', text, path)),
    redoclyDiff(
      'asyncapi',
      asyncApiView(old.asyncapi, old.openapi),
      asyncApiView(now.asyncapi, now.openapi),
      (text, path) => locate('asyncapi', text, path),
    ),
  ]);
  const ours: Break[] = comparePolicies(old, now).map((second) => ({
    ...second,
    at: locate(second.document, 'working', second.pointer),
  }));
  return {
    breaks: [...http.breaks, ...ws.breaks, ...ours],
    compatible: http.compatible + ws.compatible,
  };
}

export function formatBreak(breakItem: Break): string {
  return `${breakItem.document}  ${breakItem.subject}  ${breakItem.rule}: ${breakItem.message}  (at ${breakItem.at})`;
}

interface Working {
  docs: ContractDocs;
  version: string;
  locate: (record: string | undefined) => Locate;
}

function loadWorking(root: string, major: number, report: Report): Working | undefined {
  const dir = `contracts/v${major}`;
  let bundles: ReturnType<typeof bundleContracts>;
  try {
    bundles = bundleContracts(root, dir);
  } catch (err) {
    if (!(err instanceof CodegenError || err instanceof CodegenErrors)) throw err;
    report.errors.push(
      `${dir}: cannot bundle the contracts:\n  ${err.message.split('\n').join('\n  ')}`,
    );
    return undefined;
  }
  const docs = { openapi: bundles.http.doc, asyncapi: bundles.ws.doc };
  const value = versionOf(docs);
  if ('problem' in value) {
    report.errors.push(`${dir}: ${value.problem}`);
    return undefined;
  }
  if (semver.major(value.version) !== major)
    report.errors.push(
      `${dir} is at ${value.version}: major ${semver.major(value.version)} needs its own contracts/v${semver.major(value.version)} beside ${dir}, which stays at its last ${major}.x.y (docs/contracts.md)`,
    );
  return { docs, version: value.version, locate: (record) => locator(bundles, record) };
}

function breakLines(dir: string, against: string, breaks: Break[], major: number): string {
  return (
    `${dir}: ${breaks.length} breaking change(s) against the released ${against}; a break needs a new major in its own contracts/v${major + 1}:\n` +
    breaks.map((breakItem) => `  ${formatBreak(breakItem)}`).join('\n')
  );
}

/** `npm run contracts:breaking` for one major. */
export async function checkMajor(root: string, major: number): Promise<Report> {
  const report: Report = { errors: [], notes: [] };
  const dir = `contracts/v${major}`;
  const working = loadWorking(root, major, report);
  if (!working) return report;
  const [last] = releasesOf(root, major);
  if (!last) {
    report.errors.push(
      `${dir} (${working.version}) has no release record in contracts/releases/v${major}: run \`npm run contracts:release\` in the change that ships it`,
    );
    return report;
  }
  const order = semver.compare(working.version, last);
  if (order > 0)
    report.errors.push(
      `${dir} is at ${working.version}, ahead of the last recorded release ${last}: record it with \`npm run contracts:release\` in the same change (docs/contracts.md)`,
    );
  if (order < 0)
    report.errors.push(`${dir} is at ${working.version}, behind the last recorded release ${last}`);
  const record = recordDir(major, last);
  const diff = await compareContracts(
    readRelease(root, major, last),
    working.docs,
    working.locate(record),
  );
  if (diff.breaks.length) report.errors.push(breakLines(dir, last, diff.breaks, major));
  else
    report.notes.push(
      `${dir} ${working.version}: no breaking change against the released ${last}` +
        (order === 0 && diff.compatible
          ? `; ${diff.compatible} compatible change(s) not released yet (bump info.version and run \`npm run contracts:release\` to ship them)`
          : ''),
    );
  return report;
}

/** `npm run contracts:release` for one major: records the working version once nothing breaks. */
export async function releaseMajor(root: string, major: number, amend: boolean): Promise<Report> {
  const report: Report = { errors: [], notes: [] };
  const dir = `contracts/v${major}`;
  const working = loadWorking(root, major, report);
  if (!working || report.errors.length) return report;
  const { version } = working;
  const recorded = releasesOf(root, major);
  let base = recorded[0];
  if (base && semver.lt(version, base)) {
    report.errors.push(`${dir} is at ${version}, behind the last recorded release ${base}`);
    return report;
  }
  if (base === version) {
    if (sameRecord(readRelease(root, major, version), working.docs)) {
      report.notes.push(`${dir} ${version} is already recorded in ${recordDir(major, version)}`);
      return report;
    }
    if (!amend) {
      report.errors.push(
        `${dir}: ${version} is already recorded with other content: bump info.version to release the changes (\`-- --amend\` rewrites the record, only while ${version} has not shipped)`,
      );
      return report;
    }
    base = recorded[1];
  }
  if (base) {
    const diff = await compareContracts(
      readRelease(root, major, base),
      working.docs,
      working.locate(recordDir(major, base)),
    );
    if (diff.breaks.length) {
      report.errors.push(breakLines(dir, base, diff.breaks, major));
      return report;
    }
  }
  writeRelease(root, major, version, working.docs);
  report.notes.push(`${dir}: recorded ${version} in ${recordDir(major, version)}`);
  return report;
}
