// Profiling harness: BK server with --cpu-prof under health then invalid load.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDb } from '../../server/shared/db/db.js';
import { migrate } from '../../server/shared/db/migrate.js';
const scenario = process.argv[2] ?? 'health';
const log = process.argv[3] ?? 'false';
const admin = new pg.Client('postgres://postgres@127.0.0.1:5432/postgres'); await admin.connect();
await admin.query('DROP DATABASE IF EXISTS bk_prof WITH (FORCE)'); await admin.query('CREATE DATABASE bk_prof'); await admin.end();
const url = 'postgres://postgres@127.0.0.1:5432/bk_prof';
const d = createDb(url); await migrate(d); await d.close();
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/bkprof', '--import', 'tsx', process.env.PROF_SERVER ?? 'tests/bench/servers/bk.ts'], { cwd: '/work/main', env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'info', BK_ACCESS_LOG: log, BK_TRUSTED_PROXIES: '127.0.0.1', BK_SITE_ORIGINS: 'https://site.example', BK_CLIENT_ORIGINS: 'https://client.example', BK_ADMIN_ORIGINS: 'https://admin.example', STRIPE_WEBHOOK_SECRET: 'whsec_bench_only', STRIPE_SECRET_KEY: 'sk_test_bench_never_called' }, stdio: ['ignore', 'pipe', 'inherit'] });
const line: string = await new Promise((r) => readline.createInterface({ input: child.stdout! }).once('line', r));
const port = JSON.parse(line).port;
let n = 0;
const ip = () => { n++; return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; };
const req = scenario === 'health' ? { method: 'GET', path: '/api/v1/health', setupRequest: (r: any) => ({ ...r, headers: { ...r.headers, 'x-forwarded-for': ip() } }) }
 : { method: 'POST', path: '/api/v1/site/enquiries', setupRequest: (r: any) => ({ ...r, headers: { ...r.headers, 'x-forwarded-for': ip(), origin: 'https://site.example', 'content-type': 'application/json' }, body: JSON.stringify({ name: '', email: 'not-an-email', message: 'xxxxxxxxxx', preferredContact: 'pigeon', extra: true }) }) };
const res = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: 6, requests: [req as any] });
console.log(scenario, log, res.requests.average, JSON.stringify((res as any).statusCodeStats));
child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r));
