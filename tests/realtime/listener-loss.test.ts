/**
 * Issue 11, point 4: live delivery survives a lost LISTEN connection. The fan-out's LISTEN
 * connection is killed (pg_terminate_backend) or goes silent (a proxy that stops forwarding its
 * bytes without closing it); whatever was published meanwhile still reaches this instance's
 * sockets: a logged-out session's socket closes, a removed room member stops receiving the room.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/main.js';
import { loadConfig } from '../../server/shared/config/config.js';
import { manualClock } from '../../server/shared/time/clock.js';
import { insertUser } from '../identity/identity-fixtures.js';
import { ORIGINS, signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { typedClient } from '../support/typed-client.js';
import { connectReady, framesOf, until, type Client } from './support.js';

/** A bound for waits on something that must happen (a frame, a close); never a timing assertion. */
const WAIT_MS = 15_000;

/** Resolves with the socket's close, or rejects when it stays open past `WAIT_MS`. */
function closedWithin(client: Client): Promise<{ code: number }> {
  return Promise.race([
    client.closed,
    new Promise<never>((_, reject) =>
      setTimeout(
        () =>
          reject(
            new Error(
              `the socket stayed open; frames: ${JSON.stringify(client.frames.map((frame) => frame.type))}`,
            ),
          ),
        WAIT_MS,
      ),
    ),
  ]);
}

interface Actors {
  owner: SignedIn;
  member: SignedIn & { userId: string };
  leaver: SignedIn;
  roomId: string;
  lobbyId: string;
}

/** An owner with a room, a member who joined it by invitation, and a third user who will log out. */
async function setUp(testApp: TestApp): Promise<Actors> {
  const [key, value, line] = await Promise.all([
    insertUser(testApp),
    insertUser(testApp),
    insertUser(testApp),
  ]);
  const owner = await signIn(testApp, 'client', key.email, key.password);
  const member = await signIn(testApp, 'client', value.email, value.password);
  const leaver = await signIn(testApp, 'client', line.email, line.password);
  const asOwner = typedClient(testApp.baseUrl, owner.headers());
  const asMember = typedClient(testApp.baseUrl, member.headers());
  const room = await asOwner.POST('/api/v1/client/chat/rooms', {
    body: { title: `room ${randomUUID().slice(0, 8)}` },
  });
  const roomId = room.data!.conversationId;
  const invitation = await asOwner.POST('/api/v1/client/chat/rooms/{conversationId}/invitations', {
    params: { path: { conversationId: roomId } },
    body: { userId: value.id },
  });
  const accepted = await asMember.POST('/api/v1/client/chat/invitations/{invitationId}/accept', {
    params: { path: { invitationId: invitation.data!.invitationId } },
  });
  expect(accepted.response.status).toBe(200);
  const list = await asOwner.GET('/api/v1/client/chat/conversations');
  const lobbyId = list.data!.items.find((item) => item.kind === 'lobby')!.conversationId;
  return { owner, member: Object.assign(member, { userId: value.id }), leaver, roomId, lobbyId };
}

async function say(
  target: { baseUrl: string },
  who: SignedIn,
  conversationId: string,
  body: string,
): Promise<void> {
  const sent = await typedClient(target.baseUrl, who.headers()).POST(
    '/api/v1/client/chat/conversations/{conversationId}/messages',
    {
      params: { path: { conversationId } },
      body: { clientMessageId: `c-${randomUUID()}`, body },
    },
  );
  expect(sent.response.status).toBe(201);
}

/**
 * The member's socket got the lobby message sent after the room message: frames reach a socket
 * in publish order, so whatever the room message did to this socket has happened by now.
 */
async function roomBodiesSeenBeforeLobby(
  client: Client,
  actors: Actors,
  lobbyBody: string,
): Promise<(string | null)[]> {
  for (;;) {
    const field = await client.next('chat.message', WAIT_MS);
    if (field.payload.conversationId === actors.lobbyId && field.payload.body === lobbyBody) break;
  }
  return framesOf(client, 'chat.message')
    .filter((frame) => frame.payload.conversationId === actors.roomId)
    .map((frame) => frame.payload.body);
}

describe('when the LISTEN connection is killed', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('when the fan-out LISTEN backend is terminated and within a second a user logs out and a room member is removed, then the logged-out socket closes 4001 and the removed member stops receiving the room', async () => {
    const actors = await setUp(testApp);
    const ws = testApp.baseUrl.replace('http://', 'ws://');
    const memberSocket = await connectReady(ws, 'client', actors.member.cookie);
    const leaverSocket = await connectReady(ws, 'client', actors.leaver.cookie);
    // Live delivery works before the cut: the member hears the room.
    await say(testApp, actors.owner, actors.roomId, 'before the cut');
    expect((await memberSocket.next('chat.message', WAIT_MS)).payload.body).toBe('before the cut');

    const killed = await testApp.app.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN bk_broadcast' AND pid <> pg_backend_pid()`,
    );
    expect(killed.rows).toHaveLength(1);
    await testApp.app.db.query('SELECT pg_terminate_backend($1)', [killed.rows[0]!.pid]);
    await until(
      async () =>
        (
          await testApp.app.db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [
            killed.rows[0]!.pid,
          ])
        ).rowCount === 0,
      WAIT_MS,
    );

    // All of this within the listener's reconnect delay: the NOTIFYs reach no one on this instance.
    const logout = await typedClient(testApp.baseUrl, actors.leaver.headers()).POST(
      '/api/v1/client/auth/logout',
    );
    expect(logout.response.status).toBe(204);
    const removed = await typedClient(testApp.baseUrl, actors.owner.headers()).POST(
      '/api/v1/client/chat/rooms/{conversationId}/members/{userId}/remove',
      {
        params: { path: { conversationId: actors.roomId, userId: actors.member.userId } },
      },
    );
    expect(removed.response.status).toBe(204);
    await say(testApp, actors.owner, actors.roomId, 'after the removal');
    await say(testApp, actors.owner, actors.lobbyId, 'lobby after the removal');

    expect((await closedWithin(leaverSocket)).code).toBe(4001);
    expect(
      await roomBodiesSeenBeforeLobby(memberSocket, actors, 'lobby after the removal'),
    ).toEqual(['before the cut']);
    expect(
      framesOf(memberSocket, 'chat.membership').some(
        (frame) =>
          frame.payload.userId === actors.member.userId && frame.payload.change === 'removed',
      ),
    ).toBe(true);
    memberSocket.ws.close();
  });

  it('when a socket is still subscribed to a room whose membership it lost without an event (a stale subscription), then the next room message is not delivered to it', async () => {
    const actors = await setUp(testApp);
    const ws = testApp.baseUrl.replace('http://', 'ws://');
    const memberSocket = await connectReady(ws, 'client', actors.member.cookie);
    // The membership row goes without the outbox event that would unsubscribe the socket: the
    // delivery of the next room message is what has to notice.
    await testApp.app.db.query(
      'DELETE FROM chat_members WHERE conversation_id = $1 AND user_id = $2',
      [actors.roomId, actors.member.userId],
    );
    await say(testApp, actors.owner, actors.roomId, 'members only');
    await say(testApp, actors.owner, actors.lobbyId, 'lobby after members only');
    expect(
      await roomBodiesSeenBeforeLobby(memberSocket, actors, 'lobby after members only'),
    ).toEqual([]);
    memberSocket.ws.close();
  });

  it('when every test above has run, then no outbound frame broke the contract', () => {
    expect(testApp.logs.text).not.toContain('OUTBOUND FRAME BREAKS THE CONTRACT');
  });
});

/**
 * A TCP proxy in front of Postgres that can make the fan-out's LISTEN connections go silent: their
 * bytes are swallowed in both directions and nothing is closed, as when a NAT or firewall drops a
 * connection without telling either end. Other connections pass untouched.
 */
class SilencingProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{
    client: net.Socket;
    upstream: net.Socket;
    listener: boolean;
    silent: boolean;
  }>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      const pair = { client, upstream, listener: false, silent: false };
      this.pairs.add(pair);
      client.on('data', (chunk: Buffer) => {
        if (chunk.includes('LISTEN bk_broadcast')) pair.listener = true;
        if (!pair.silent) upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (!pair.silent) client.write(chunk);
      });
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Silences every fan-out LISTEN connection open now; returns how many. */
  silenceListeners(): number {
    let count = 0;
    for (const pair of this.pairs)
      if (pair.listener && !pair.silent) {
        pair.silent = true;
        count++;
      }
    return count;
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('when the LISTEN connection goes silent without closing', () => {
  let database: TestDatabase;
  let proxy: SilencingProxy;
  let app: App;
  const testApp = { baseUrl: '' } as TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = new SilencingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.listen();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      BK_ACCESS_LOG: 'false',
      BK_DB_LISTEN_HEALTH_CHECK_MS: '200',
    });
    const clock = manualClock(new Date());
    app = await startApp({ config, databaseUrl: viaProxy.toString(), clock });
    // Enough of a TestApp for the fixtures (insert a user, sign in) on this app.
    Object.assign(testApp, {
      app,
      baseUrl: app.url,
      databaseUrl: database.url,
      clock,
      api: (headers?: Record<string, string>) => typedClient(app.url, headers),
    });
  });
  afterAll(async () => {
    // The proxy goes first: a silenced connection must not hold up the app's shutdown.
    const proxyClosed = proxy?.close();
    await app?.close();
    await proxyClosed;
    await database?.drop();
  });

  it('when the fan-out LISTEN connection stops answering, then it is replaced and a logout published meanwhile still closes the socket', async () => {
    const user = await insertUser(testApp);
    const signedIn = await signIn(testApp, 'client', user.email, user.password);
    const socket = await connectReady(
      app.url.replace('http://', 'ws://'),
      'client',
      signedIn.cookie,
    );
    expect(proxy.silenceListeners()).toBe(1);
    const logout = await typedClient(app.url, {
      cookie: signedIn.cookie,
      origin: ORIGINS.client,
      'x-csrf-token': signedIn.csrfToken,
    }).POST('/api/v1/client/auth/logout');
    expect(logout.response.status).toBe(204);
    expect((await closedWithin(socket)).code).toBe(4001);
  });
});
