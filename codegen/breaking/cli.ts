/**
 * `npm run contracts:breaking`: compares the current contracts with the last released snapshot
 * (contracts/released/v1/{openapi,asyncapi}.json) and exits 1 naming every break, unless the
 * document's `info.version` major changed.
 * `npm run contracts:release` (`--release`): writes the current bundled contracts as the snapshot.
 *
 * Options: `--root <dir>`, `--contracts <dir>` (default contracts/v1), `--released <dir>`
 * (default contracts/released/v1).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CodegenError, CodegenErrors } from '../errors.js';
import { cliArgs } from '../cli-args.js';
import { bundleContracts, type JsonObject } from '../load.js';
import { compareContracts, formatBreak, type ContractDocs } from './compare.js';

const args = cliArgs();
const { root, contractsDir } = args;
const releasedDir = args.value('--released', 'contracts/released/v1');

function current(): ContractDocs {
  const { http, ws } = bundleContracts(root, contractsDir);
  return { openapi: http.doc, asyncapi: ws.doc };
}

function main(): number {
  let now: ContractDocs;
  try {
    now = current();
  } catch (err) {
    if (err instanceof CodegenError || err instanceof CodegenErrors) {
      process.stderr.write(
        `contracts:breaking: cannot bundle the contracts:\n  ${err.message.split('\n').join('\n  ')}\n`,
      );
      return 1;
    }
    throw err;
  }
  const files = {
    openapi: path.join(root, releasedDir, 'openapi.json'),
    asyncapi: path.join(root, releasedDir, 'asyncapi.json'),
  };
  if (args.has('--release')) {
    mkdirSync(path.join(root, releasedDir), { recursive: true });
    for (const k of ['openapi', 'asyncapi'] as const)
      writeFileSync(files[k], JSON.stringify(now[k], null, 2) + '\n');
    process.stdout.write(
      `contracts:release: wrote ${releasedDir}/openapi.json and asyncapi.json (openapi ${String((now.openapi['info'] as JsonObject)['version'])}, asyncapi ${String((now.asyncapi['info'] as JsonObject)['version'])})\n`,
    );
    return 0;
  }
  if (!existsSync(files.openapi) || !existsSync(files.asyncapi)) {
    process.stderr.write(
      `contracts:breaking: no released snapshot in ${releasedDir}; run \`npm run contracts:release\` when a version ships\n`,
    );
    return 1;
  }
  const released: ContractDocs = {
    openapi: JSON.parse(readFileSync(files.openapi, 'utf8')) as JsonObject,
    asyncapi: JSON.parse(readFileSync(files.asyncapi, 'utf8')) as JsonObject,
  };
  const breaks = compareContracts(released, now);
  if (breaks.length === 0) {
    process.stdout.write(`contracts:breaking: no breaking change against ${releasedDir}\n`);
    return 0;
  }
  process.stderr.write(
    `contracts:breaking: ${breaks.length} breaking change(s) against the released ${releasedDir} (bump info.version's major to allow them):\n` +
      breaks.map((b) => `  ${formatBreak(b)}`).join('\n') +
      '\n',
  );
  return 1;
}

process.exit(main());
