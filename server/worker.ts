/**
 * `npm run worker`: the background work (the outbox relay, every module's event consumers and the
 * housekeeping timer) in its own process, for deployments that run the API with
 * `BK_BACKGROUND=off`. Several workers and API instances may run at once: the relay shares the work
 * through Postgres row locks, and housekeeping only deletes what has expired.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeModules, noSocketsFanout } from './compose.js';
import { loadConfig } from './shared/config/config.js';
import { createDb, dbOptions } from './shared/db/db.js';
import { migrate } from './shared/db/migrate.js';
import { createOutboxRelay, exponentialBackoff } from './shared/events/relay.js';
import { createHousekeeping } from './shared/jobs/housekeeping.js';
import { createLogger } from './shared/logging/logger.js';
import { systemClock } from './shared/time/clock.js';

/** Starts the relay; `env` replaces the process environment (tests). */
export async function startWorker(
  env?: Readonly<Record<string, string | undefined>>,
): Promise<{ stop(): Promise<void> }> {
  const config = loadConfig(env);
  if (config.databaseUrl === null) {
    throw new Error(
      'the worker needs DATABASE_URL: the embedded Postgres belongs to the single `npm start` process, which runs its background work itself',
    );
  }
  const log = createLogger({ level: config.logLevel }).child({ process: 'worker' });
  const db = createDb(config.databaseUrl, dbOptions(config));
  await migrate(db);
  const clock = systemClock;
  const { consumers, housekeeping: tasks } = composeModules({
    config,
    db,
    clock,
    log,
    fanout: noSocketsFanout,
  });
  const relay = createOutboxRelay({
    db,
    log,
    clock,
    consumers,
    maxAttempts: config.relayMaxAttempts,
    backoffMs: exponentialBackoff(config.relayBackoffBaseMs),
    pollMs: config.relayPollMs,
    listenHealthCheckMs: config.dbListenHealthCheckMs,
  });
  await relay.start();
  const housekeeping = createHousekeeping({
    log,
    clock,
    intervalMs: config.housekeepingIntervalMs,
    tasks,
  });
  housekeeping.start();
  log.info(
    { consumers: consumers.map((consumer) => consumer.name) },
    'worker running the outbox relay',
  );
  return {
    async stop() {
      await housekeeping.close();
      await relay.close();
      await db.close();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startWorker().then(
    (worker) => {
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        worker.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err: unknown) => {
      process.stderr.write(
        `worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
