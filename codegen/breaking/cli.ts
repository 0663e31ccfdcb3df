/**
 * `npm run contracts:breaking`: checks every `contracts/v<N>` against its newest release record in
 * `contracts/releases/v<N>/` (gate.ts) and exits 1 naming each problem, one line per break.
 * `npm run contracts:release` (`--release`): records the working version of every major whose
 * version is ahead of its last record, once nothing breaks against that record; `--amend` rewrites
 * the record of the current version (only before it ships).
 *
 * Options: `--root <dir>` (another tree, for tests).
 */
import { cliArgs } from '../cli-args.js';
import { checkMajor, releaseMajor, type Report } from './gate.js';
import { majors } from './releases.js';

async function main(): Promise<number> {
  const args = cliArgs();
  const release = args.has('--release');
  const name = release ? 'contracts:release' : 'contracts:breaking';
  const found = majors(args.root);
  if (found.length === 0) {
    process.stderr.write(`${name}: no contracts/v<N>/openapi.yaml under ${args.root}\n`);
    return 1;
  }
  const reports: Report[] = [];
  for (const major of found)
    reports.push(
      release
        ? await releaseMajor(args.root, major, args.has('--amend'))
        : await checkMajor(args.root, major),
    );
  const notes = reports.flatMap((report) => report.notes);
  const errors = reports.flatMap((report) => report.errors);
  if (notes.length) process.stdout.write(notes.map((note) => `${name}: ${note}\n`).join(''));
  if (errors.length) process.stderr.write(errors.map((error) => `${name}: ${error}\n`).join(''));
  return errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
