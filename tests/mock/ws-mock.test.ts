import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsChannels } from '../../generated/v1/ws-events.js';
import { freshen } from '../../codegen/mock/index.js';
import { startWsMock, type WsMock } from '../../codegen/mock/ws-mock.js';

type Frame = {
  id: string;
  type: string;
  occurredAt: string;
  schemaVersion: number;
  payload: any;
  metadata?: { correlationId?: string };
};
const site = wsChannels.site;

/** Collects every frame a client receives and checks each against the generated outbound validator. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const invalid: string[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    const spec = (
      site.outbound as Record<
        string,
        { validate: ((f: unknown) => boolean) & { errors?: unknown } }
      >
    )[frame.type];
    if (!spec || !spec.validate(frame))
      invalid.push(
        `${frame.type}: ${JSON.stringify(spec?.validate.errors ?? 'not an outbound type')}`,
      );
    frames.push(frame);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (pred: (fs: Frame[]) => boolean, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!pred(frames)) {
      if (Date.now() > deadline)
        throw new Error(`timed out; got ${JSON.stringify(frames.map((f) => f.type))}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return { ws, frames, invalid, until };
}

describe('npm run mock: WebSocket channels', () => {
  let mock: WsMock;
  beforeAll(async () => {
    mock = await startWsMock({ port: 0, replyDelayMs: 0 });
  });
  afterAll(async () => {
    await mock?.close();
  });

  it('when a client connects to /ws/v1/site, then it receives an example frame of each outbound message type, each valid per the contract', async () => {
    const connecting = Date.now();
    const c = await connect(mock.channelUrls.site!);
    const expected = Object.keys(site.outbound).filter((t) => t !== 'system.error');
    await c.until((fs) => fs.length >= expected.length);
    const received = Date.now();
    c.ws.close();
    expect(c.frames.map((f) => f.type).sort()).toEqual(expected.sort());
    expect(c.invalid).toEqual([]);
    expect(new Set(c.frames.map((f) => f.id)).size).toBe(c.frames.length);
    // Stamped as sent, not copied from the contract's examples.
    for (const f of c.frames) {
      expect(Date.parse(f.occurredAt)).toBeGreaterThanOrEqual(connecting);
      expect(Date.parse(f.occurredAt)).toBeLessThanOrEqual(received);
    }
  });

  it('when a valid chat.visitor_message is sent, then chat.message_accepted echoes its clientMessageId and a chat.staff_reply follows', async () => {
    const c = await connect(mock.channelUrls.site!);
    await c.until((fs) => fs.length >= 3);
    c.frames.length = 0;
    c.ws.send(
      JSON.stringify({
        id: 'f-test-1',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c-test-000123', body: 'Do you deliver to Hackney?' },
      }),
    );
    await c.until((fs) => fs.some((f) => f.type === 'chat.staff_reply'));
    c.ws.close();
    const accepted = c.frames.find((f) => f.type === 'chat.message_accepted');
    expect(accepted?.payload.clientMessageId).toBe('c-test-000123');
    expect(accepted?.metadata?.correlationId).toBe('f-test-1');
    expect(c.frames.findIndex((f) => f.type === 'chat.message_accepted')).toBeLessThan(
      c.frames.findIndex((f) => f.type === 'chat.staff_reply'),
    );
    expect(c.invalid).toEqual([]);
  });

  it('when the inbound examples of the contract are sent, then none is refused', async () => {
    const c = await connect(mock.channelUrls.site!);
    for (const [type, examples] of Object.entries(site.inboundExamples)) {
      for (const payload of examples)
        c.ws.send(JSON.stringify({ id: `f-${type}`, type, schemaVersion: 1, payload }));
    }
    // A frame the mock must refuse, as a barrier: the mock answers frames in order, so its error
    // arrives after anything the examples caused.
    c.ws.send(
      JSON.stringify({ id: 'f-barrier', type: 'no.such_event', schemaVersion: 1, payload: {} }),
    );
    await c.until((fs) => fs.some((f) => f.metadata?.correlationId === 'f-barrier'));
    c.ws.close();
    expect(
      c.frames.filter(
        (f) => f.type === 'system.error' && f.metadata?.correlationId !== 'f-barrier',
      ),
    ).toEqual([]);
  });

  it('when a frame breaks the schema, then a system.error WS.INVALID_FRAME points at the field', async () => {
    const c = await connect(mock.channelUrls.site!);
    c.ws.send(
      JSON.stringify({
        id: 'f-bad',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c-test-000124', body: 'x'.repeat(2001) },
      }),
    );
    await c.until((fs) => fs.some((f) => f.type === 'system.error'));
    c.ws.close();
    const error = c.frames.find((f) => f.type === 'system.error')!;
    expect(error.payload.code).toBe('WS.INVALID_FRAME');
    expect(error.payload.errors).toContainEqual(
      expect.objectContaining({ pointer: '/payload/body', keyword: 'maxLength' }),
    );
    expect(error.metadata?.correlationId).toBe('f-bad');
    expect(c.invalid).toEqual([]);
  });

  it('when a required payload field is missing, then the pointer names the field itself', async () => {
    const c = await connect(mock.channelUrls.site!);
    c.ws.send(
      JSON.stringify({
        id: 'f-missing',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c-test-000125' },
      }),
    );
    await c.until((fs) => fs.some((f) => f.type === 'system.error'));
    c.ws.close();
    expect(c.frames.find((f) => f.type === 'system.error')!.payload.errors).toContainEqual(
      expect.objectContaining({ pointer: '/payload/body', keyword: 'required' }),
    );
  });

  it('when a frame is not JSON, then a system.error WS.INVALID_FRAME comes back', async () => {
    const c = await connect(mock.channelUrls.site!);
    c.ws.send('hello?');
    await c.until((fs) => fs.some((f) => f.type === 'system.error'));
    c.ws.close();
    expect(c.frames.find((f) => f.type === 'system.error')!.payload.code).toBe('WS.INVALID_FRAME');
    expect(c.invalid).toEqual([]);
  });

  it('when a frame has a type the channel does not accept, then a system.error WS.UNKNOWN_EVENT comes back', async () => {
    const c = await connect(mock.channelUrls.site!);
    c.ws.send(
      JSON.stringify({ id: 'f-unknown', type: 'chat.staff_reply', schemaVersion: 1, payload: {} }),
    );
    await c.until((fs) => fs.some((f) => f.type === 'system.error'));
    c.ws.close();
    const error = c.frames.find((f) => f.type === 'system.error')!;
    expect(error.payload.code).toBe('WS.UNKNOWN_EVENT');
    expect(error.payload.errors[0].pointer).toBe('/type');
    expect(c.invalid).toEqual([]);
  });

  it('when a client opens a path that is no channel, then the upgrade is refused', async () => {
    const ws = new WebSocket(`${mock.url}/ws/v1/nope`);
    const status = await new Promise<number>((resolve) =>
      ws
        .once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        .once('error', () => resolve(-1)),
    );
    expect(status).toBe(404);
  });
});

describe('freshen', () => {
  it('when an example carries timestamps, then they move to now and an expiry stays in the future', () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    expect(
      freshen({ sentAt: '2026-11-27T10:16:02.000Z', expiresAt: '2026-11-27T10:16:08.000Z' }, now),
    ).toEqual({ sentAt: '2030-01-01T00:00:00.000Z', expiresAt: '2030-01-01T00:00:06.000Z' });
    expect(freshen({ isTyping: true, expiresAt: '2026-11-27T10:16:08.000Z' }, now)).toEqual({
      isTyping: true,
      expiresAt: '2030-01-01T00:00:08.000Z',
    });
  });
});
