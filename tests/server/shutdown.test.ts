import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { IN_FLIGHT, rawConnection, refusesConnections } from '../support/raw-connection.js';
import { typedClient } from '../support/typed-client.js';
import { waitFor } from '../support/wait.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

describe('graceful shutdown', () => {
  it('when the API gets SIGTERM with a request in flight, then it stops accepting, lets that request finish, closes the pool and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        PORT: String(port),
        LOG_LEVEL: 'info',
        BK_ACCESS_LOG: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const listening = new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line.includes('api listening')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`exited early with ${code}: ${lines.join('\n')}`)),
      );
    });
    await listening;
    const base = `http://127.0.0.1:${port}`;
    expect((await typedClient(base).GET('/api/v1/health')).response.status).toBe(200);

    // A request whose body is still arriving when the signal lands: the server has taken it (its
    // 100 Continue) and waits for the rest.
    const body = JSON.stringify({
      name: 'Ada',
      email: 'ada@example.com',
      message: 'Meals for two, please.',
    });
    const inFlight = rawConnection(port);
    inFlight.socket.write(
      `POST /api/v1/site/enquiries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await inFlight.until(IN_FLIGHT);
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    await waitFor(() => lines.some((line) => line.includes('shutting down')), {
      what: 'the shutdown log line',
    });

    // Draining: no new connection is taken, while the request in flight is still answered below
    // (the rest of its body goes out only now, so the process outlived the refusal).
    await waitFor(() => refusesConnections(port), { what: 'the port to refuse connections' });
    expect({ exitCode: child.exitCode, signalCode: child.signalCode }).toEqual({
      exitCode: null,
      signalCode: null,
    });

    inFlight.socket.write(body.slice(10));
    await inFlight.closed;
    expect(inFlight.received).toMatch(
      /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 [\s\S]*"status":"received"/,
    );
    // Exit 0 is the graceful path: the 20 s guard in exitOnSignals would have exited 1.
    expect(await exit).toBe(0);
    expect(lines.join('\n')).not.toContain('shutdown took too long');
  });
});
