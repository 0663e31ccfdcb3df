/**
 * Reconciliation: `tsx server/modules/billing/reconcile-cli.ts [--since-hours 72]` lists the
 * provider's recent events and stores (and so processes, through the outbox) each one BK never
 * received. Safe to run any time: stored events are skipped by id.
 */
import { loadConfig } from '../../shared/config/config.js';
import { createDb, dbOptions } from '../../shared/db/db.js';
import { migrate } from '../../shared/db/migrate.js';
import { createLogger } from '../../shared/logging/logger.js';
import { systemClock } from '../../shared/time/clock.js';
import { createBillingModule } from './billing.module.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const index = argv.indexOf('--since-hours');
  const hours = index >= 0 ? Number(argv[index + 1]) : 72;
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30)
    throw new Error('--since-hours takes 1..720 (Stripe keeps events for 30 days)');
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const log = createLogger({ level: config.logLevel });
  const db = createDb(config.databaseUrl, {
    ...dbOptions(config),
    max: 2,
    applicationName: 'bk-reconcile',
  });
  try {
    await migrate(db);
    const billing = createBillingModule({ db, clock: systemClock, log, config });
    const report = await billing.reconcile(new Date(Date.now() - hours * 3_600_000));
    process.stdout.write(
      `reconcile: ${report.listed} events listed by ${billing.provider.name}, ${report.replayed.length} replayed${report.replayed.length ? `: ${report.replayed.join(', ')}` : ''}\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`reconcile failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
