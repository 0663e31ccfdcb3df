/**
 * `npm run generate` writes generated/v1 from the contracts; `npm run generate:check` (`--check`)
 * writes nothing and exits 1 with a diff when generated/ is stale.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliArgs } from './cli-args.js';
import { CodegenError, CodegenErrors } from './errors.js';
import { generate, type GeneratedFile } from './generate.js';

const args = cliArgs();
const check = args.has('--check');
const { root, contractsDir } = args;
const outDir = args.value('--out', 'generated/v1');

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((dirent) =>
    dirent.isDirectory() ? listFiles(path.join(dir, dirent.name)) : [path.join(dir, dirent.name)],
  );
}

function writeAll(files: GeneratedFile[], base: string, out: string): void {
  const wanted = new Set(files.map((file) => path.join(base, file.path)));
  for (const existing of listFiles(path.join(base, out)))
    if (!wanted.has(existing)) rmSync(existing);
  for (const file of files) {
    const abs = path.join(base, file.path);
    mkdirSync(path.dirname(abs), { recursive: true });
    if (!existsSync(abs) || readFileSync(abs, 'utf8') !== file.content)
      writeFileSync(abs, file.content);
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  let result;
  try {
    result = await generate({ projectRoot: root, contractsDir, outDir });
  } catch (err) {
    if (err instanceof CodegenErrors || err instanceof CodegenError) {
      process.stderr.write(
        `generate: the contract has problems:\n${err.message
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n')}\n`,
      );
      return 1;
    }
    throw err;
  }
  const ms = Math.round(performance.now() - started);
  if (!check) {
    writeAll(result.files, root, outDir);
    process.stdout.write(
      `generate: wrote ${result.files.length} files to ${outDir} (${result.operations.length} operations, ${result.wsMessages.length} WS messages) in ${ms} ms\n`,
    );
    return 0;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bk-generate-'));
  try {
    writeAll(result.files, tmp, outDir);
    const diff = spawnSync('diff', ['-ruN', path.join(root, outDir), path.join(tmp, outDir)], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (diff.status === 0) {
      process.stdout.write(`generate:check: ${outDir} is up to date (${ms} ms)\n`);
      return 0;
    }
    const text = (diff.stdout || diff.stderr)
      .split(root + '/')
      .join('')
      .split(tmp + '/')
      .join('');
    const lines = text.split('\n');
    const shown = lines.slice(0, 200).join('\n');
    process.stderr.write(
      `generate:check: ${outDir} is stale: the contracts or the generator changed without \`npm run generate\`.\n` +
        `Lines starting with + are what the generator produces now.\n\n${shown}\n`,
    );
    if (lines.length > 200) process.stderr.write(`... ${lines.length - 200} more diff lines\n`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`generate: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
