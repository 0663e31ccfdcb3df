/**
 * `npm start`: the API and WebSockets on an embedded Postgres (or DATABASE_URL), demo data, and the
 * three frontends on their own ports, with every URL and the demo credentials printed.
 */
import { bootFromEnvironment, describeEmbedded, exitOnSignals } from '../main.js';
import { startFrontends } from '../../frontends/dev.js';
import { seedDemoCatalogue } from './seed-demo.js';

async function main(): Promise<void> {
  const started = performance.now();
  // `npm start` is the one place where NODE_ENV unset means development (everywhere else: production).
  const booted = await bootFromEnvironment(
    process.argv.slice(2),
    {},
    {
      defaultEnv: 'development',
      seedDemo: (app) => seedDemoCatalogue(app.packs, app.subscriptions),
    },
  );
  const { app, demo } = booted;
  let frontends: Awaited<ReturnType<typeof startFrontends>> | null = null;
  try {
    frontends = await startFrontends({ apiBase: app.url.replace('127.0.0.1', 'localhost') });
  } catch (err) {
    await booted.stop();
    throw new Error(
      `the frontends could not start (is a port of 5173-5175 in use?): ${(err as Error).message}`,
      { cause: err },
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `Balance Kitchen is running (${app.config.env}, ready in ${seconds} s)`,
    '',
    `  site      ${frontends.urls.site}`,
    `  client    ${frontends.urls.client}`,
    `  admin     ${frontends.urls.admin}`,
    `  API + WS  ${app.url}   (health: ${app.url}/api/v1/health)`,
    `  database  ${booted.embedded ? describeEmbedded(booted.embedded) : 'DATABASE_URL'}`,
  ];
  if (demo) {
    lines.push(
      '',
      '  demo admin   ' +
        `${demo.admin.email} / ${demo.admin.password}   (sign in at ${frontends.urls.admin})`,
    );
    lines.push(
      '  demo client  ' +
        `${demo.client.email} / ${demo.client.password}   (sign in at ${frontends.urls.client})`,
    );
  }
  lines.push('', '  Ctrl-C stops everything.', '');
  process.stdout.write(lines.join('\n') + '\n');
  exitOnSignals(async () => {
    await frontends?.close();
    await booted.stop();
  }, app.log);
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
