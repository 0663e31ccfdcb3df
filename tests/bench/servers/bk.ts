/**
 * The Balance Kitchen API for the bench, in its own process: production config (response
 * validation off), `BK_ACCESS_LOG` from the parent, logs to /dev/null. Prints one JSON line
 * `{ ready, port, bootMs, listeningMs, compilerModules }` on stdout.
 *
 * Bench-only change: the site enquiry's *global* limit (600/min, not per client, so no
 * X-Forwarded-For can spread it) is raised to 1e9 on the in-memory operation table, so the bench
 * measures the guard rather than 429s. The check itself still runs on every request.
 */
import { createRequire } from 'node:module';
import { openSync } from 'node:fs';
import { operations } from '../../../generated/v1/operations.js';
import { startApp } from '../../../server/main.js';
import { loadConfig } from '../../../server/shared/config/config.js';
import { fdDestination } from '../../../server/shared/logging/fd-destination.js';

(
  operations.submitEnquiry.guard.rateLimit as { global?: { limit: number; windowSeconds: number } }
).global = { limit: 1e9, windowSeconds: 60 };

const config = loadConfig(process.env, []);
// The API's default access-log destination (a synchronous descriptor writer, fed in batches by the access log), on /dev/null.
const destination = fdDestination(openSync(process.env['BENCH_LOG_FILE'] ?? '/dev/null', 'a'));
const app = await startApp({
  config,
  databaseUrl: config.databaseUrl!,
  logDestination: destination,
});
const listeningMs = Math.round(performance.now());

// ajv is CommonJS, so anything that could compile a schema would sit in the CJS cache.
const cache = createRequire(import.meta.url).cache;
const compilerModules = Object.keys(cache).filter((field) =>
  /[\\/]node_modules[\\/](ajv[\\/]dist[\\/](ajv|2019|2020|core|compile[\\/]index)\.js|ajv-formats[\\/]dist[\\/]index\.js|@fastify[\\/]ajv-compiler)/.test(
    field,
  ),
);

process.stdout.write(
  JSON.stringify({
    ready: true,
    port: app.port,
    bootMs: app.bootMs,
    listeningMs,
    compilerModules,
    accessLog: config.accessLog,
    validateResponses: config.validateResponses,
  }) + '\n',
);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
