import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, whichever codegen CLI asks. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The options every codegen CLI shares: `--root` (another tree, for tests), `--contracts`, and
 * `value(name, fallback)` for the CLI's own options.
 */
export function cliArgs(argv: readonly string[] = process.argv.slice(2)) {
  const value = (name: string, fallback: string): string => {
    const index = argv.indexOf(name);
    return index >= 0 && argv[index + 1] ? argv[index + 1]! : fallback;
  };
  return {
    has: (flag: string) => argv.includes(flag),
    value,
    root: path.resolve(value('--root', PROJECT_ROOT)),
    contractsDir: value('--contracts', 'contracts/v1'),
  };
}
