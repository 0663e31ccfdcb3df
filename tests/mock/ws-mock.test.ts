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
  /** The fields these tests read; the generated validator checks the rest of each frame. */
  payload: {
    clientMessageId?: string;
    code?: string;
    errors?: { pointer: string; keyword?: string }[];
  };
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
        { validate: ((field: unknown) => boolean) & { errors?: unknown } }
      >
    )[frame.type];
    if (!spec || !spec.validate(frame))
      invalid.push(
        `${frame.type}: ${JSON.stringify(spec?.validate.errors ?? 'not an outbound type')}`,
      );
    frames.push(frame);
    for (const waiter of waiters.splice(0)) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (pred: (fs: Frame[]) => boolean, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (!pred(frames)) {
      if (Date.now() > deadline)
        throw new Error(`timed out; got ${JSON.stringify(frames.map((frame) => frame.type))}`);
      await new Promise<void>((result) => {
        waiters.push(result);
        setTimeout(result, 100);
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
    const item = await connect(mock.channelUrls.site!);
    const expected = Object.keys(site.outbound).filter((text) => text !== 'system.error');
    await item.until((fs) => fs.length >= expected.length);
    const received = Date.now();
    item.ws.close();
    expect(item.frames.map((frame) => frame.type).sort()).toEqual(expected.sort());
    expect(item.invalid).toEqual([]);
    expect(new Set(item.frames.map((frame) => frame.id)).size).toBe(item.frames.length);
    // Stamped as sent, not copied from the contract's examples.
    for (const frame of item.frames) {
      expect(Date.parse(frame.occurredAt)).toBeGreaterThanOrEqual(connecting);
      expect(Date.parse(frame.occurredAt)).toBeLessThanOrEqual(received);
    }
  });

  it('when a valid chat.visitor_message is sent, then chat.message_accepted echoes its clientMessageId and a chat.staff_reply follows', async () => {
    const item = await connect(mock.channelUrls.site!);
    await item.until((fs) => fs.length >= 3);
    item.frames.length = 0;
    item.ws.send(
      JSON.stringify({
        id: 'f-test-1',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c-test-000123', body: 'Do you deliver to Hackney?' },
      }),
    );
    await item.until((fs) => fs.some((frame) => frame.type === 'chat.staff_reply'));
    item.ws.close();
    const accepted = item.frames.find((frame) => frame.type === 'chat.message_accepted');
    expect(accepted?.payload.clientMessageId).toBe('c-test-000123');
    expect(accepted?.metadata?.correlationId).toBe('f-test-1');
    expect(item.frames.findIndex((frame) => frame.type === 'chat.message_accepted')).toBeLessThan(
      item.frames.findIndex((frame) => frame.type === 'chat.staff_reply'),
    );
    expect(item.invalid).toEqual([]);
  });

  it('when the inbound examples of the contract are sent, then none is refused', async () => {
    const item = await connect(mock.channelUrls.site!);
    for (const [type, examples] of Object.entries(site.inboundExamples)) {
      for (const payload of examples)
        item.ws.send(JSON.stringify({ id: `f-${type}`, type, schemaVersion: 1, payload }));
    }
    // A frame the mock must refuse, as a barrier: the mock answers frames in order, so its error
    // arrives after anything the examples caused.
    item.ws.send(
      JSON.stringify({ id: 'f-barrier', type: 'no.such_event', schemaVersion: 1, payload: {} }),
    );
    await item.until((fs) => fs.some((frame) => frame.metadata?.correlationId === 'f-barrier'));
    item.ws.close();
    expect(
      item.frames.filter(
        (frame) => frame.type === 'system.error' && frame.metadata?.correlationId !== 'f-barrier',
      ),
    ).toEqual([]);
  });

  it('when a frame breaks the schema, then a system.error WS.INVALID_FRAME points at the field', async () => {
    const item = await connect(mock.channelUrls.site!);
    item.ws.send(
      JSON.stringify({
        id: 'f-bad',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c-test-000124', body: 'x'.repeat(2001) },
      }),
    );
    await item.until((fs) => fs.some((frame) => frame.type === 'system.error'));
    item.ws.close();
    const error = item.frames.find((frame) => frame.type === 'system.error')!;
    expect(error.payload.code).toBe('WS.INVALID_FRAME');
    expect(error.payload.errors).toContainEqual(
      expect.objectContaining({ pointer: '/payload/body', keyword: 'maxLength' }),
    );
    expect(error.metadata?.correlationId).toBe('f-bad');
    expect(item.invalid).toEqual([]);
  });

  it('when a required payload field is missing, then the pointer names the field itself', async () => {
    const item = await connect(mock.channelUrls.site!);
    item.ws.send(
      JSON.stringify({
        id: 'f-missing',
        type: 'chat.visitor_message',
        schemaVersion: 1,
        payload: { clientMessageId: 'c-test-000125' },
      }),
    );
    await item.until((fs) => fs.some((frame) => frame.type === 'system.error'));
    item.ws.close();
    expect(
      item.frames.find((frame) => frame.type === 'system.error')!.payload.errors,
    ).toContainEqual(expect.objectContaining({ pointer: '/payload/body', keyword: 'required' }));
  });

  it('when a frame is not JSON, then a system.error WS.INVALID_FRAME comes back', async () => {
    const item = await connect(mock.channelUrls.site!);
    item.ws.send('hello?');
    await item.until((fs) => fs.some((frame) => frame.type === 'system.error'));
    item.ws.close();
    expect(item.frames.find((frame) => frame.type === 'system.error')!.payload.code).toBe(
      'WS.INVALID_FRAME',
    );
    expect(item.invalid).toEqual([]);
  });

  it('when a frame has a type the channel does not accept, then a system.error WS.UNKNOWN_EVENT comes back', async () => {
    const item = await connect(mock.channelUrls.site!);
    item.ws.send(
      JSON.stringify({ id: 'f-unknown', type: 'chat.staff_reply', schemaVersion: 1, payload: {} }),
    );
    await item.until((fs) => fs.some((frame) => frame.type === 'system.error'));
    item.ws.close();
    const error = item.frames.find((frame) => frame.type === 'system.error')!;
    expect(error.payload.code).toBe('WS.UNKNOWN_EVENT');
    expect(error.payload.errors![0]!.pointer).toBe('/type');
    expect(item.invalid).toEqual([]);
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
