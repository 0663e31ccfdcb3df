import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { typedClient } from '../support/typed-client.js';

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
  it('when the API gets SIGTERM with a request in flight, then it stops accepting, lets that request finish, closes the pool and exits 0 well under 25 s', async () => {
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

    // A request whose body is still arriving when the signal lands.
    const body = JSON.stringify({
      name: 'Ada',
      email: 'ada@example.com',
      message: 'Meals for two, please.',
    });
    const inFlight = new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/site/enquiries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
        );
        setTimeout(() => socket.write(body.slice(10)), 500);
      });
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('end', () => resolve(answer));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
    await new Promise((result) => setTimeout(result, 150));
    const started = Date.now();
    child.kill('SIGTERM');
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );

    const answer = await inFlight;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    await new Promise((result) => setTimeout(result, 100));
    await expect(typedClient(base).GET('/api/v1/health')).rejects.toThrow();
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(lines.join('\n')).toContain('shutting down');
  });
});
