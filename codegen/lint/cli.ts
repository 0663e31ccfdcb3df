/**
 * `npm run lint:contracts`: Redocly lint (recommended ruleset, configured in redocly.yaml) over both
 * contracts, Spectral's OWASP ruleset over the OpenAPI one (./spectral.ts, configured in
 * .spectral-owasp.yaml), then our own rules (./rules.ts). Prints every finding as `file#pointer  rule  message`
 * and exits 1 if there is any. Redocly warnings count: a rule we accept is either fixed in the
 * contract or turned off in redocly.yaml with the reason.
 *
 * Options: `--root <dir>` (project root), `--contracts <dir>` (default contracts/v1),
 * `--skip-redocly` (our rules and Spectral only), `--skip-spectral`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CodegenError, CodegenErrors } from '../errors.js';
import { cliArgs, PROJECT_ROOT } from '../cli-args.js';
import { bundleContracts } from '../load.js';
import { formatFinding, lintContracts, type Finding } from './rules.js';
import { spectralOwasp } from './spectral.js';

const args = cliArgs();
const { root, contractsDir } = args;
const openapiFile = `${contractsDir}/openapi.yaml`;
const asyncapiFile = `${contractsDir}/asyncapi.yaml`;

interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { source?: { ref?: string }; pointer?: string }[];
}

function redocly(file: string): Finding[] {
  const bin = path.join(PROJECT_ROOT, 'node_modules/.bin/redocly');
  const config = existsSync(path.join(root, 'redocly.yaml'))
    ? path.join(root, 'redocly.yaml')
    : path.join(PROJECT_ROOT, 'redocly.yaml');
  const run = spawnSync(
    bin,
    [
      'lint',
      file,
      '--config',
      config,
      '--format',
      'json',
      '--max-problems',
      '1000',
      '--lint-config',
      'error',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  const start = run.stdout.indexOf('{');
  let report: { problems?: RedoclyProblem[] };
  try {
    report = JSON.parse(run.stdout.slice(start));
  } catch {
    return [
      {
        rule: 'redocly',
        file,
        pointer: '',
        message: `redocly lint did not produce a report (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-5).join(' ')}`,
      },
    ];
  }
  return (report.problems ?? []).map((redoclyProblem) => {
    const loc = redoclyProblem.location?.[0];
    const ref = loc?.source?.ref ?? file;
    const rel = path.relative(root, path.resolve(root, ref)).split(path.sep).join('/');
    return {
      rule: `redocly/${redoclyProblem.ruleId}`,
      file: rel,
      pointer: (loc?.pointer ?? '').replace(/^#/, ''),
      message: `${redoclyProblem.severity}: ${redoclyProblem.message}`,
    };
  });
}

async function main(): Promise<number> {
  const findings: Finding[] = [];
  let bundles: ReturnType<typeof bundleContracts> | null = null;
  try {
    bundles = bundleContracts(root, contractsDir);
  } catch (err) {
    if (!(err instanceof CodegenError || err instanceof CodegenErrors)) throw err;
    const errors = err instanceof CodegenErrors ? err.errors : [err];
    findings.push(
      ...errors.map((error) => ({
        rule: 'bundle',
        file: error.file,
        pointer: error.pointer,
        message: error.problem,
      })),
    );
  }
  const owasp =
    bundles && !args.has('--skip-spectral')
      ? spectralOwasp(root, PROJECT_ROOT, bundles.http, openapiFile)
      : Promise.resolve([]);
  if (!args.has('--skip-redocly')) findings.push(...redocly(openapiFile), ...redocly(asyncapiFile));
  findings.push(...(await owasp));
  if (bundles)
    findings.push(
      ...lintContracts({ openapi: bundles.http, asyncapi: bundles.ws, openapiFile, asyncapiFile }),
    );
  if (findings.length === 0) {
    process.stdout.write(
      `lint:contracts: ${openapiFile} and ${asyncapiFile} pass Redocly (redocly.yaml), Spectral OWASP (.spectral-owasp.yaml) and our rules\n`,
    );
    return 0;
  }
  process.stderr.write(
    `lint:contracts: ${findings.length} finding(s)\n${findings.map(formatFinding).join('\n')}\n`,
  );
  return 1;
}

process.exit(await main());
