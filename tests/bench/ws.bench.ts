/**
 * `npm run bench:ws`: fan-out of one event to 1,000 connected sockets, Balance Kitchen's realtime
 * publisher (serialize once, frame once, one write per socket) against a bare `ws` loop that calls
 * `send(json)` per socket, in the same run. Both servers live in this process; the 1,000 clients
 * of each live in one child process (loopback only). Rounds alternate (BK, bare, BK, bare ...).
 *
 *   memory per idle connection   heap + external + arrayBuffers growth / connections (after gc)
 *   one at a time                events 10 ms apart: p50 / p99 delivery latency (send -> client)
 *   bursts                       BURST events arrive at once (t0) and are sent back to back:
 *                                server frames/s (t0 -> every frame handed to the kernel),
 *                                end-to-end msgs/s (t0 -> last frame at the clients), and
 *                                p50 / p99 latency of each frame from t0
 *
 * Targets: burst server throughput >= 5x the bare loop; p99 (one at a time and in bursts) no worse
 * than the bare loop (within 10% + 1 ms of noise). Env: BENCH_CLIENTS (1000), BENCH_ROUNDS (3),
 * BENCH_BURST (100), BENCH_SINGLES (60).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { WebSocket } from 'ws';
import { bkTarget, bareTarget } from './ws-bench-targets.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BURST = Number(process.env['BENCH_BURST'] ?? 100);
const SINGLES = Number(process.env['BENCH_SINGLES'] ?? 60);
const ORIGIN = 'http://localhost:5173';

const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// Child: the clients. Counts frames, reads the send time out of the body without parsing JSON.

type ToChild =
  | { cmd: 'connect'; url: string; n: number; label: string }
  | { cmd: 'expect'; label: string; frames: number }
  | { cmd: 'close' };
type FromChild =
  | { kind: 'connected'; label: string }
  | { kind: 'done'; label: string; latencies: number[]; lastAt: number }
  | { kind: 'closed' };

async function clientMain(): Promise<void> {
  const sets = new Map<string, WebSocket[]>();
  let expecting: { label: string; remaining: number; latencies: number[]; lastAt: number } | null =
    null;
  const reply = (match: FromChild) => process.send!(match);
  process.on('message', async (payload: ToChild) => {
    if (payload.cmd === 'connect') {
      const list: WebSocket[] = [];
      sets.set(payload.label, list);
      for (let index = 0; index < payload.n; index += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, payload.n - index) }, () => {
            const ws = new WebSocket(payload.url, {
              headers: { origin: ORIGIN },
              perMessageDeflate: false,
            });
            list.push(ws);
            ws.on('message', (data: Buffer) => {
              const entry = expecting;
              if (!entry || entry.label !== payload.label) return;
              const at = now();
              const text = data.toString('latin1');
              const position = text.indexOf('t=');
              if (position >= 0)
                entry.latencies.push(
                  at - Number(text.slice(position + 2, text.indexOf('"', position))),
                );
              entry.lastAt = at;
              if (--entry.remaining === 0) {
                expecting = null;
                reply({
                  kind: 'done',
                  label: entry.label,
                  latencies: entry.latencies,
                  lastAt: entry.lastAt,
                });
              }
            });
            return new Promise<void>((resolve, reject) => {
              ws.once('open', () => resolve());
              ws.once('error', reject);
            });
          }),
        );
      }
      reply({ kind: 'connected', label: payload.label });
    } else if (payload.cmd === 'expect') {
      expecting = { label: payload.label, remaining: payload.frames, latencies: [], lastAt: 0 };
    } else {
      for (const list of sets.values()) for (const ws of list) ws.terminate();
      reply({ kind: 'closed' });
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: the two servers and the measurements.

/** `at`: when the event arrived at the server (for a burst, when the whole burst arrived). */
function payload(seq: number, at = now()): object {
  return {
    messageId: randomUUID(),
    conversationId: '4d5e6f70-8192-4a3b-9c4d-5e6f7a8b9c0d',
    seq,
    body: `Hi! Yes, we deliver to Camden on weekdays. t=${at.toFixed(3)}`,
    sentAt: new Date().toISOString(),
    staffName: 'Grace',
  };
}

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();
function memory(): number {
  gc();
  gc();
  const match = process.memoryUsage();
  return match.heapUsed + match.external + match.arrayBuffers;
}

function pct(sorted: number[], amount: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((amount / 100) * sorted.length))]!;
}
const median = (xs: number[]) =>
  [...xs].sort((left, right) => left - right)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((result) => setTimeout(result, ms));

async function parentMain(): Promise<void> {
  const started = Date.now();
  const hardStop = setTimeout(() => {
    process.stderr.write('bench:ws took longer than 3 minutes; stopping\n');
    process.exit(2);
  }, 180_000);
  hardStop.unref();

  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--clients'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: ((match: FromChild) => void)[] = [];
  child.on('message', (payload: FromChild) => waiters.shift()?.(payload));
  const ask = (match: ToChild) =>
    new Promise<FromChild>((resolve) => {
      waiters.push(resolve);
      child.send(match);
    });

  const bk = await bkTarget();
  const bare = await bareTarget();
  const targets = [bk, bare];

  // Memory per idle connection: connect one set at a time and measure the growth.
  const perConn: Record<string, number> = {};
  for (const target of targets) {
    await sleep(200);
    const before = memory();
    await ask({ cmd: 'connect', url: target.url, n: CLIENTS, label: target.label });
    while (target.connections() < CLIENTS) await sleep(10);
    await sleep(300);
    perConn[target.label] = (memory() - before) / CLIENTS;
  }

  const results: Record<
    string,
    { single: number[]; burstLat: number[]; serverRate: number[]; e2eRate: number[] }
  > = {
    bk: { single: [], burstLat: [], serverRate: [], e2eRate: [] },
    bare: { single: [], burstLat: [], serverRate: [], e2eRate: [] },
  };

  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      // One at a time.
      let done = ask({ cmd: 'expect', label: target.label, frames: SINGLES * CLIENTS }) as Promise<
        Extract<FromChild, { kind: 'done' }>
      >;
      await sleep(20);
      for (let index = 0; index < SINGLES; index++) {
        target.publish(payload(index));
        await sleep(10);
      }
      results[target.label]!.single.push(...(await done).latencies);
      await sleep(100);

      // A burst, back to back.
      done = ask({ cmd: 'expect', label: target.label, frames: BURST * CLIENTS }) as Promise<
        Extract<FromChild, { kind: 'done' }>
      >;
      await sleep(20);
      gc();
      // The whole burst arrives at t0: latency counts from there, so a slow send loop shows.
      const t0 = now();
      for (let index = 0; index < BURST; index++) target.publish(payload(index, t0));
      // Until every frame is handed to the kernel (BK writes corked sockets out at the end of the tick).
      await new Promise((result) => setImmediate(result));
      const t1 = now();
      const resultItem = await done;
      results[target.label]!.serverRate.push((BURST * CLIENTS) / ((t1 - t0) / 1000));
      results[target.label]!.e2eRate.push((BURST * CLIENTS) / ((resultItem.lastAt - t0) / 1000));
      results[target.label]!.burstLat.push(...resultItem.latencies);
      await sleep(200);
    }
  }

  await ask({ cmd: 'close' });
  await bk.close();
  await bare.close();

  const summary = Object.fromEntries(
    Object.entries(results).map(([key, value]) => {
      const single = value.single.sort((left, right) => left - right);
      const burst = value.burstLat.sort((left, right) => left - right);
      return [
        key,
        {
          p50: pct(single, 50),
          p99: pct(single, 99),
          bp50: pct(burst, 50),
          bp99: pct(burst, 99),
          serverRate: median(value.serverRate),
          e2eRate: median(value.e2eRate),
          mem: perConn[key]!,
        },
      ];
    }),
  ) as Record<
    'bk' | 'bare',
    {
      p50: number;
      p99: number;
      bp50: number;
      bp99: number;
      serverRate: number;
      e2eRate: number;
      mem: number;
    }
  >;
  const { bk: first, bare: second } = summary;
  const field = (count: number, delta = 2) => count.toFixed(delta);
  const keyItem = (count: number) => `${Math.round(count).toLocaleString('en-US')}`;
  const line = (name: string, text: string, other: string, ratio: string, verdict = '') =>
    console.log(
      `${name.padEnd(34)} ${text.padStart(14)} ${other.padStart(14)} ${ratio.padStart(9)}  ${verdict}`,
    );
  console.log(
    `\nbench:ws  ${CLIENTS} clients (separate process, loopback), ${ROUNDS} alternating rounds, bursts of ${BURST} events, ${SINGLES} single events per round\n`,
  );
  line('', 'BK publish', 'bare ws loop', 'ratio');
  const noWorse = (amount: number, other: number) => amount <= other * 1.1 + 1;
  const serverRatio = first.serverRate / second.serverRate;
  const checks: [string, boolean][] = [
    ['burst server throughput >= 5x bare', serverRatio >= 5],
    ['p99 one at a time no worse than bare', noWorse(first.p99, second.p99)],
    ['p99 in bursts no worse than bare', noWorse(first.bp99, second.bp99)],
  ];
  line(
    'burst: server frames/s',
    keyItem(first.serverRate),
    keyItem(second.serverRate),
    `${field(serverRatio)}x`,
    serverRatio >= 5 ? 'PASS (>= 5x)' : 'FAIL (< 5x)',
  );
  line(
    'burst: end-to-end msgs/s',
    keyItem(first.e2eRate),
    keyItem(second.e2eRate),
    `${field(first.e2eRate / second.e2eRate)}x`,
    '(client-bound: 1 process reads all)',
  );
  line(
    'one at a time: p50 latency ms',
    field(first.p50),
    field(second.p50),
    `${field(first.p50 / second.p50)}x`,
  );
  line(
    'one at a time: p99 latency ms',
    field(first.p99),
    field(second.p99),
    `${field(first.p99 / second.p99)}x`,
    noWorse(first.p99, second.p99) ? 'PASS (no worse)' : 'FAIL (worse)',
  );
  line(
    'burst: p50 latency ms',
    field(first.bp50),
    field(second.bp50),
    `${field(first.bp50 / second.bp50)}x`,
  );
  line(
    'burst: p99 latency ms',
    field(first.bp99),
    field(second.bp99),
    `${field(first.bp99 / second.bp99)}x`,
    noWorse(first.bp99, second.bp99) ? 'PASS (no worse)' : 'FAIL (worse)',
  );
  line(
    'memory per idle connection KiB',
    field(first.mem / 1024, 1),
    field(second.mem / 1024, 1),
    `${field(first.mem / second.mem)}x`,
    '(server heap+external, after gc)',
  );
  const failed = checks.filter(([, ok]) => !ok);
  console.log(
    `\n${failed.length ? `FAIL: ${failed.map(([key]) => key).join('; ')}` : 'PASS: all targets met'}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  clearTimeout(hardStop);
  process.exitCode = failed.length ? 1 : 0;
}

if (process.argv.includes('--clients')) void clientMain();
else
  parentMain().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
