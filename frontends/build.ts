import { build } from 'vite';
import { surfaceConfig, surfaces, type Surface } from './vite.config.js';

/** `npm run build:frontends [site|client|admin...]`: production builds into frontends/<surface>/dist. */
async function main(): Promise<void> {
  const asked = process.argv
    .slice(2)
    .filter((first): first is Surface => (surfaces as readonly string[]).includes(first));
  const targets = asked.length ? asked : [...surfaces];
  for (const surface of targets) {
    const started = Date.now();
    await build({ ...surfaceConfig(surface, { mode: 'production' }), logLevel: 'warn' });
    console.log(`built ${surface} → frontends/${surface}/dist (${Date.now() - started} ms)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
