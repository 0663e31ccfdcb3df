import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer } from 'ws';

/** The two servers ws.bench.ts measures: BalanceKitchen's realtime stack and a bare ws server. */

export interface Target {
  label: 'bk' | 'bare';
  url: string;
  /** Sends one event to every socket; returns nothing, synchronously. */
  publish(payload: object): void;
  connections(): number;
  close(): Promise<void>;
}

export async function bkTarget(): Promise<Target> {
  const { loadConfig } = await import('../../server/shared/config/config.js');
  const { createLogger } = await import('../../server/shared/logging/logger.js');
  const { createOutbound, createTopicHub, createWsServer } =
    await import('../../server/shared/realtime/index.js');
  const { createHttpServer } = await import('../../server/shared/http/server.js');
  const { systemClock } = await import('../../server/shared/time/clock.js');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, [], {
    wsMaxConnectionsPerIp: 100_000,
    wsUpgradesPerIpPerMinute: 1_000_000,
    wsMaxBufferedBytes: 64 * 1024 * 1024,
  });
  const log = createLogger({ level: 'silent' });
  // The site channel needs no session and the bench publishes on the hub directly: no database.
  const noop = () => undefined;
  const handlers = {
    site: { 'chat.visitor_message': noop, 'chat.visitor_typing': noop, 'chat.resume': noop },
    client: {},
    admin: {},
  } as never;
  // Production behaviour: no outbound validation.
  const hub = createTopicHub({
    outbound: createOutbound({ clock: systemClock, log, validate: false }),
  });
  const realtime = createWsServer({
    config,
    log,
    clock: systemClock,
    hub,
    sessions: { resolve: async () => null },
    handlers,
    lifecycle: {
      async onConnect(connection) {
        connection.setGuest(randomUUID());
        connection.subscribe('bench');
      },
      onDisconnect: noop,
    },
  });
  const server = createHttpServer({
    handler: (_q, serverResponse) => serverResponse.writeHead(404).end(),
    log,
    production: false,
    onUpgrade: realtime.handleUpgrade,
  });
  const port = await server.listen(0, '127.0.0.1');
  return {
    label: 'bk',
    url: `ws://127.0.0.1:${port}/ws/v1/site`,
    publish: (payload) => hub.publish('bench', 'chat.staff_reply', payload),
    connections: () => realtime.stats().connections,
    async close() {
      await realtime.close();
      await server.close(500);
    },
  };
}

export async function bareTarget(): Promise<Target> {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });
  const server = http.createServer((_q, result) => result.writeHead(404).end());
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, () => undefined),
  );
  await new Promise<void>((result) => server.listen(0, '127.0.0.1', result));
  const port = (server.address() as { port: number }).port;
  return {
    label: 'bare',
    url: `ws://127.0.0.1:${port}/`,
    publish(payload) {
      // The naive broadcast: the same envelope, serialized once, `send` per socket.
      const json = JSON.stringify({
        id: randomUUID(),
        type: 'chat.staff_reply',
        occurredAt: new Date().toISOString(),
        schemaVersion: 1,
        payload,
        metadata: { actor: { kind: 'system', id: 'api' } },
      });
      for (const ws of wss.clients) ws.send(json);
    },
    connections: () => wss.clients.size,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise((result) => server.close(result));
    },
  };
}
