/**
 * `npm run bench`: BalanceGuard against baselines, each server in its own process and the load
 * (autocannon) in this one. Runs go in pairs, alternating which side goes first; every ratio is the
 * median over the pairs of BK / baseline, measured in the same run.
 *
 *   (a) GET /api/v1/health through the whole guard        vs bare node:http, same JSON
 *   (b) invalid site enquiry -> 400 problem (generated validator) vs bare node:http + ajv, same schema
 *   (c) valid site enquiry, validated and inserted        vs Fastify 5 + cors, helmet, rate-limit, ajv, same SQL
 *   (a) and (b) with access logging off and on (one line per request, to /dev/null).
 *   Start: startApp against an already-migrated database, and that no schema compiler is loaded.
 *
 * Env: DATABASE_URL (else the local postgres://postgres@127.0.0.1:5432/postgres if it answers,
 * else an embedded Postgres), BENCH_ROUNDS (9), BENCH_SECONDS (2), BENCH_CONNECTIONS (10),
 * BENCH_CPU_PROF=1 (write .cpuprofile files of the BK server to .bench-prof/), BENCH_ONLY (a comma
 * list of scenarios to run: a, b, c; the start probe always runs). How to profile: README.md here.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDb } from '../../server/shared/db/db.js';
import { migrate } from '../../server/shared/db/migrate.js';
import { benchDatabase, PIN, startServer, type Server } from './bench-processes.js';
import { BENCH_SITE as SITE, benchApiEnv, benchClientIp } from './servers/api-env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const CPU_PROF = process.env['BENCH_CPU_PROF'] === '1';
const ONLY = new Set(
  (process.env['BENCH_ONLY'] ?? 'a,b,c').split(',').map((text) => text.trim().toLowerCase()),
);

// ---------------------------------------------------------------------------------------------
// Load.

let counter = 0;
/** A distinct client address per request (the servers trust 127.0.0.1 as a proxy). */
function nextIp(): string {
  return benchClientIp(++counter);
}

type Scenario = 'health' | 'invalid' | 'valid';
const INVALID_BODY = JSON.stringify({
  name: '',
  email: 'not-an-email',
  message: 'x'.repeat(10),
  preferredContact: 'pigeon',
  extra: true,
});
const runTag = randomBytes(3).toString('hex');

function requestFor(scenario: Scenario): autocannon.Request {
  if (scenario === 'health') {
    return {
      method: 'GET',
      path: '/api/v1/health',
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-forwarded-for': nextIp() } }),
    };
  }
  const base = { method: 'POST' as const, path: '/api/v1/site/enquiries' };
  return {
    ...base,
    setupRequest: (req) => {
      const ip = nextIp();
      const body =
        scenario === 'invalid'
          ? INVALID_BODY
          : JSON.stringify({
              name: 'Ada Lovelace',
              email: `ada+${runTag}.${counter}@example.com`,
              message: `Meals for two, five days a week (${runTag}-${counter}).`,
              preferredContact: 'email',
            });
      return {
        ...req,
        headers: {
          ...req.headers,
          'x-forwarded-for': ip,
          origin: SITE,
          'content-type': 'application/json',
        },
        body,
      };
    },
  };
}

interface Sample {
  rps: number;
  p99: number;
  statuses: Record<string, number>;
}

async function load(url: string, scenario: Scenario, seconds: number): Promise<Sample> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [requestFor(scenario)],
  });
  const statuses: Record<string, number> = {};
  for (const [code, value] of Object.entries(
    (result as unknown as { statusCodeStats?: Record<string, { count: number }> })
      .statusCodeStats ?? {},
  ))
    statuses[code] = value.count;
  if (result.errors || result.timeouts) statuses['errors'] = result.errors + result.timeouts;
  return { rps: result.requests.average, p99: result.latency.p99, statuses };
}

const median = (xs: number[]) => {
  const text = [...xs].sort((left, right) => left - right);
  const minutes = text.length >> 1;
  return text.length % 2 ? text[minutes]! : (text[minutes - 1]! + text[minutes]!) / 2;
};

interface Comparison {
  label: string;
  target: number;
  ratio: number;
  /** The lowest and highest ratio of one pair. */
  spread: [number, number];
  bk: number;
  base: number;
  bkP99: number;
  baseP99: number;
  problems: string[];
}

/**
 * Rounds in pairs after one warm-up each, the order alternating (A B, B A, A B ...) so neither side
 * always runs first. The ratio is the median of each pair's BK / baseline: the two runs of a pair
 * are a second or two apart, so a slow spell of this shared machine, which lasts seconds, weighs on
 * both sides of a pair rather than on one side's median.
 */
async function compare(
  label: string,
  scenario: Scenario,
  bk: Server,
  base: Server,
  expected: string,
  target: number,
): Promise<Comparison> {
  await load(bk.url, scenario, 1);
  await load(base.url, scenario, 1);
  const left: Sample[] = [];
  const right: Sample[] = [];
  for (let index = 0; index < ROUNDS; index++) {
    if (index % 2 === 0) {
      left.push(await load(bk.url, scenario, SECONDS));
      right.push(await load(base.url, scenario, SECONDS));
    } else {
      right.push(await load(base.url, scenario, SECONDS));
      left.push(await load(bk.url, scenario, SECONDS));
    }
  }
  const pairs = left.map((sample, index) => sample.rps / right[index]!.rps);
  const problems: string[] = [];
  for (const [who, samples] of [
    [bk.name, left],
    [base.name, right],
  ] as const) {
    for (const sample of samples)
      for (const code of Object.keys(sample.statuses))
        if (code !== expected)
          problems.push(
            `${who} answered ${sample.statuses[code]} x ${code} (expected only ${expected})`,
          );
  }
  const comparison: Comparison = {
    label,
    target,
    ratio: median(pairs),
    spread: [Math.min(...pairs), Math.max(...pairs)],
    bk: median(left.map((sample) => sample.rps)),
    base: median(right.map((sample) => sample.rps)),
    bkP99: median(left.map((sample) => sample.p99)),
    baseP99: median(right.map((sample) => sample.p99)),
    problems: [...new Set(problems)],
  };
  const verdict = comparison.problems.length
    ? 'INVALID'
    : comparison.ratio >= target
      ? 'pass'
      : 'FAIL';
  console.log(
    `${label.padEnd(58)} ${comparison.ratio.toFixed(2)}x  (target >= ${target.toFixed(2)}x: ${verdict})   pairs ${comparison.spread[0].toFixed(2)}-${comparison.spread[1].toFixed(2)}x, medians ${Math.round(comparison.bk)} vs ${Math.round(comparison.base)} req/s, p99 ${comparison.bkP99} vs ${comparison.baseP99} ms`,
  );
  for (const problem of comparison.problems) console.log(`    ! ${problem}`);
  return comparison;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const db = await benchDatabase();
  const servers: Server[] = [];
  const results: Comparison[] = [];
  let failed: boolean;
  try {
    const pool = createDb(db.url, { max: 2 });
    await migrate(pool);
    await pool.close();
    console.log(
      `bench: ${db.source}, ${ROUNDS} pairs of ${SECONDS}s runs (order alternating), ${CONNECTIONS} connections, ${os.cpus().length} cores${PIN ? ' (servers pinned to CPU 1, load to CPU 0)' : ''}, node ${process.version}\n`,
    );

    const bkEnv = (accessLog: boolean): Record<string, string> => ({
      ...benchApiEnv(accessLog),
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'info',
      BK_DB_POOL_SIZE: '10',
    });
    const profArgs = (tag: string) =>
      CPU_PROF
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${path.join(ROOT, '.bench-prof')}`,
            `--cpu-prof-name=bk-${tag}.cpuprofile`,
          ]
        : [];

    const bare = await startServer('bare node:http', 'bare.ts', {});
    servers.push(bare);
    const fastify = await startServer('fastify', 'fastify.ts', {
      DATABASE_URL: db.url,
      BK_DB_POOL_SIZE: '10',
    });
    servers.push(fastify);
    const bkOff = await startServer('balanceguard', 'bk.ts', bkEnv(false), profArgs('log-off'));
    servers.push(bkOff);

    const boots = [bkOff.info];
    if (ONLY.has('a'))
      results.push(
        await compare(
          '(a) GET /health, access log off      vs bare node:http',
          'health',
          bkOff,
          bare,
          '200',
          0.8,
        ),
      );
    if (ONLY.has('b'))
      results.push(
        await compare(
          '(b) invalid enquiry 400, access log off vs bare node:http+ajv',
          'invalid',
          bkOff,
          bare,
          '400',
          0.8,
        ),
      );
    if (ONLY.has('c'))
      results.push(
        await compare(
          '(c) valid enquiry 201 (INSERT)          vs fastify+plugins',
          'valid',
          bkOff,
          fastify,
          '201',
          1.0,
        ),
      );
    await bkOff.stop();
    servers.splice(servers.indexOf(bkOff), 1);

    if (ONLY.has('a') || ONLY.has('b')) {
      const bkOn = await startServer('balanceguard+log', 'bk.ts', bkEnv(true), profArgs('log-on'));
      servers.push(bkOn);
      boots.push(bkOn.info);
      if (ONLY.has('a'))
        results.push(
          await compare(
            '(a) GET /health, access log on       vs bare node:http',
            'health',
            bkOn,
            bare,
            '200',
            0.65,
          ),
        );
      if (ONLY.has('b'))
        results.push(
          await compare(
            '(b) invalid enquiry 400, access log on  vs bare node:http+ajv',
            'invalid',
            bkOn,
            bare,
            '400',
            0.65,
          ),
        );
    }

    // Start: startApp on an already-migrated database (no migrations to apply), and no schema compiler loaded.
    for (let index = 0; index < 1; index++) {
      const probe = await startServer('balanceguard start probe', 'bk.ts', bkEnv(false));
      boots.push(probe.info);
      await probe.stop();
    }
    const bootMs = median(boots.map((boot) => Number(boot['bootMs'])));
    const listeningMs = median(boots.map((boot) => Number(boot['listeningMs'])));
    const compilers = [...new Set(boots.flatMap((boot) => boot['compilerModules'] as string[]))];
    const startOk = bootMs < 1000;
    console.log(
      `\nstart: startApp ${bootMs} ms on a migrated database (target < 1000 ms: ${startOk ? 'pass' : 'FAIL'}); process start to listening ${listeningMs} ms incl. node and tsx (median of ${boots.length})`,
    );
    console.log(
      `schema compiler at start: ${compilers.length === 0 ? 'none loaded (pass)' : `LOADED: ${compilers.join(', ')} (FAIL)`}`,
    );
    console.log(
      `response validation in the bench server: ${boots.every((boot) => boot['validateResponses'] === false) ? 'off (production)' : 'ON (wrong config)'}`,
    );

    const { rows } = await (async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return await client.query<{ n: number }>('SELECT count(*)::int AS n FROM enquiries');
      } finally {
        await client.end();
      }
    })();
    console.log(`enquiries inserted during the bench: ${rows[0]!.n}`);
    failed =
      !startOk ||
      compilers.length > 0 ||
      results.some((result) => result.problems.length > 0 || result.ratio < result.target);
    console.log(
      `\nbench took ${Math.round((performance.now() - started) / 1000)} s; ${failed ? 'some targets missed' : 'every target met'}`,
    );
  } finally {
    for (const server of servers) await server.stop();
    await db.drop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
