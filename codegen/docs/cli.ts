/**
 * `npm run docs [-- --out <dir>]`: static, offline HTML into docs/reference/ (or <dir>).
 */
import path from 'node:path';
import { buildDocs } from './build.js';

const at = process.argv.indexOf('--out');
const outDir = at > -1 ? process.argv[at + 1] : undefined;
if (at > -1 && !outDir) {
  console.error('--out needs a directory');
  process.exit(2);
}
const started = Date.now();
try {
  const files = await buildDocs(outDir ? { outDir } : {});
  console.log(
    `Docs built in ${((Date.now() - started) / 1000).toFixed(1)} s (offline: no page loads anything from another host):`,
  );
  for (const file of files) console.log(`  ${path.relative(process.cwd(), file)}`);
  console.log(`Open ${path.relative(process.cwd(), files[0]!)} in a browser.`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
