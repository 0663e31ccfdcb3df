/**
 * Spectral's OWASP API Security ruleset (@stoplight/spectral-owasp-ruleset) over the bundled
 * OpenAPI document, configured by `.spectral-owasp.yaml` in the project root (a root without one,
 * such as a test fixture, is not checked). Spectral lints the bundle rather than the split YAML: its
 * `overrides` only take JSON pointers into the one document it was given, and the contract's
 * deliberate exceptions (the anonymous operations) are written that way. Each finding is mapped back
 * to the file and pointer it came from.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { escapePointerToken } from '../errors.js';
import { isObject, type Bundle, type Json } from '../load.js';
import type { Finding } from './finding.js';

export const SPECTRAL_RULESET = '.spectral-owasp.yaml';
/** Where the bundle is written, relative to the root: the ruleset's overrides name this file. */
export const SPECTRAL_BUNDLE = 'node_modules/.cache/bk-spectral/openapi.json';
const SEVERITY = ['error', 'warning'];

interface SpectralResult {
  code: string;
  message: string;
  severity: number;
  path: (string | number)[];
}

/** The source file and pointer of a node in the bundle, by the deepest ancestor whose source is known. */
function sourceAt(
  bundle: Bundle,
  tokens: (string | number)[],
  fallbackFile: string,
): { file: string; pointer: string } {
  let node: Json | undefined = bundle.doc;
  let best = {
    file: fallbackFile,
    pointer: tokens.map((token) => '/' + escapePointerToken(String(token))).join(''),
  };
  let rest: (string | number)[] = [];
  for (let index = 0; index <= tokens.length; index++) {
    const src = bundle.sourceOf(node);
    if (src) {
      best = src;
      rest = tokens.slice(index);
    }
    if (index === tokens.length) break;
    const target = tokens[index]!;
    node = Array.isArray(node)
      ? node[Number(target)]
      : isObject(node)
        ? node[String(target)]
        : undefined;
    if (node === undefined) break;
  }
  return {
    file: best.file,
    pointer: best.pointer + rest.map((target) => '/' + escapePointerToken(String(target))).join(''),
  };
}

/**
 * Starts Spectral on the bundle and resolves to its findings. It runs beside Redocly (the caller
 * starts it first), so the check adds little to `lint:contracts`.
 * @example
 * const owasp = spectralOwasp(root, PROJECT_ROOT, http, 'contracts/v1/openapi.yaml');
 * findings.push(...redocly(file), ...(await owasp));
 */
export function spectralOwasp(
  root: string,
  projectRoot: string,
  bundle: Bundle,
  rootFile: string,
): Promise<Finding[]> {
  const ruleset = path.join(root, SPECTRAL_RULESET);
  if (!existsSync(ruleset)) return Promise.resolve([]);
  const input = path.join(root, SPECTRAL_BUNDLE);
  const output = `${input}.results.json`;
  mkdirSync(path.dirname(input), { recursive: true });
  writeFileSync(input, JSON.stringify(bundle.doc, null, 2));
  rmSync(output, { force: true });
  const bin = path.join(projectRoot, 'node_modules/.bin/spectral');
  const child = spawn(
    bin,
    [
      'lint',
      input,
      '--ruleset',
      ruleset,
      '--format',
      'json',
      '--output',
      output,
      '--fail-severity',
      'warn',
      '--quiet',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (dir: string) => (stderr += dir));
  return new Promise((resolve) => {
    const done = (status: number | null) => {
      let results: SpectralResult[];
      try {
        results = JSON.parse(readFileSync(output, 'utf8')) as SpectralResult[];
      } catch {
        resolve([
          {
            rule: 'spectral',
            file: rootFile,
            pointer: '',
            message: `spectral lint did not produce a report (exit ${status}): ${stderr.trim().split('\n').slice(-5).join(' ')}`,
          },
        ]);
        return;
      }
      resolve(
        results
          .filter((result) => result.severity < SEVERITY.length)
          .map((result) => ({
            rule: `spectral/${result.code}`,
            ...sourceAt(bundle, result.path, rootFile),
            message: `${SEVERITY[result.severity]}: ${result.message}`,
          })),
      );
    };
    child.on('error', (err) => {
      stderr += err.message;
      done(null);
    });
    child.on('close', done);
  });
}
