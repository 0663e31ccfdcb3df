/**
 * A small released contract for the breaking gate's table test: one operation, schema or message
 * per rule, so every breaking edit of the table can be made at once without hiding another.
 */
type Doc = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely

const str = (maxLength = 100) => ({ type: 'string', maxLength });
const object = (properties: Doc, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
const json = (schema: Doc) => ({ content: { 'application/json': { schema } } });
const ok = (schema: Doc = object({ id: str() }, ['id'])) => ({
  description: 'ok',
  ...json(schema),
});
const guard = (extra: Doc = {}) => ({
  'x-balanceguard': {
    surface: 'site',
    rateLimit: { ip: { limit: 5, windowSeconds: 600 }, global: { limit: 100, windowSeconds: 60 } },
    bodyLimit: 1000,
    idempotency: 'optional',
    ...extra,
  },
});
const get = (operationId: string, extra: Doc = {}) => ({
  get: { operationId, ...guard({ idempotency: 'none' }), responses: { '200': ok() }, ...extra },
});
const post = (operationId: string, extra: Doc = {}) => ({
  post: { operationId, ...guard(), responses: { '201': ok() }, ...extra },
});

function openapi(): Doc {
  return {
    openapi: '3.1.0',
    info: { title: 'fixture', version: '1.0.0' },
    paths: {
      '/removed': get('removeMe'),
      '/params': get('listParams', {
        parameters: [
          { name: 'q', in: 'query', required: false, schema: str() },
          { name: 'r', in: 'query', required: false, schema: str() },
        ],
      }),
      '/body': post('postBody', {
        requestBody: { required: false, ...json(object({ a: str() })) },
      }),
      '/create': post('create', {
        requestBody: {
          required: true,
          ...json({ $ref: '#/components/schemas/CreateReq' }),
        },
      }),
      '/upload': post('upload', { requestBody: { required: true, ...json(object({ a: str() })) } }),
      '/secure': get('secure', { security: [{ session: ['s:read'] }] }),
      '/item': get('getItem', {
        responses: {
          '200': {
            ...ok({ $ref: '#/components/schemas/Item' }),
            headers: { 'X-Total': { schema: { type: 'integer' } } },
          },
        },
      }),
      '/gone': post('gone', {
        responses: { '201': ok(), '400': { description: 'bad' } },
      }),
      '/download': get('download'),
      '/guarded': post('guarded'),
      '/keyed': post('keyed', guard({ idempotency: 'required' })),
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session' } },
      schemas: {
        CreateReq: object(
          {
            name: str(),
            tag: str(),
            kind: { type: 'string', enum: ['x', 'y'] },
            size: { type: 'integer' },
            mode: str(),
          },
          ['name'],
        ),
        Item: object(
          {
            id: str(),
            status: { type: 'string', enum: ['a', 'b'] },
            note: str(),
            count: { type: 'integer', minimum: 0, maximum: 100 },
            size: { type: ['integer', 'null'] },
          },
          ['id', 'status'],
        ),
        // The envelope, as the real contract has it: in the OpenAPI components only.
        EventEnvelope: object(
          { id: str(64), type: str(64), occurredAt: str(64), payload: { type: 'object' } },
          ['id', 'type', 'occurredAt', 'payload'],
        ),
        InboundEnvelope: object({ id: str(64), type: str(64), payload: { type: 'object' } }, [
          'id',
          'type',
          'payload',
        ]),
      },
    },
  };
}

const ref = (channel: string, message: string) => ({
  $ref: `#/channels/${channel}/messages/${message}`,
});
const op = (action: 'send' | 'receive', channel: string, message: string, extra: Doc = {}) => ({
  action,
  channel: { $ref: `#/channels/${channel}` },
  messages: [ref(channel, message)],
  ...(action === 'receive'
    ? {
        'x-wsguard': { auth: 'guest', rateLimit: { connection: { limit: 10, windowSeconds: 60 } } },
      }
    : {}),
  ...extra,
});

function asyncapi(): Doc {
  return {
    asyncapi: '3.0.0',
    info: { title: 'fixture', version: '1.0.0' },
    channels: {
      room: {
        address: '/ws/room',
        messages: {
          chat: { name: 'room.chat', payload: { $ref: '#/components/schemas/Chat' } },
          reply: { name: 'room.reply', payload: { $ref: '#/components/schemas/Reply' } },
          legacy: { name: 'room.legacy', payload: object({ a: str() }) },
          old: { name: 'room.old', payload: object({ a: str() }) },
          notice: { name: 'room.notice', contentType: 'application/json', payload: object({}) },
          ping: { name: 'room.ping', payload: object({}) },
          flip: { name: 'room.flip', payload: object({}) },
          resume: {
            name: 'room.resume',
            payload: object({ ids: { type: 'array', maxItems: 20 } }),
          },
          signedIn: { name: 'room.signed_in', payload: object({}) },
        },
      },
      feed: { address: '/ws/feed', messages: { item: { name: 'feed.item', payload: object({}) } } },
    },
    operations: {
      sendChat: op('receive', 'room', 'chat'),
      deliverReply: op('send', 'room', 'reply'),
      deliverLegacy: op('send', 'room', 'legacy'),
      deliverOld: op('send', 'room', 'old'),
      deliverNotice: op('send', 'room', 'notice'),
      sendPing: op('receive', 'room', 'ping'),
      deliverFlip: op('send', 'room', 'flip'),
      sendResume: op('receive', 'room', 'resume', {
        'x-wsguard': {
          auth: 'guest',
          rateLimit: { connection: { limit: 10, windowSeconds: 60 } },
          weightedBy: '/ids',
        },
      }),
      sendSignedIn: op('receive', 'room', 'signedIn', {
        'x-wsguard': {
          auth: 'session',
          permissions: ['chat:use'],
          rateLimit: { connection: { limit: 10, windowSeconds: 60 } },
        },
      }),
      deliverFeed: op('send', 'feed', 'item'),
    },
    components: {
      schemas: {
        Chat: object(
          {
            body: str(2000),
            mood: { type: 'string', enum: ['happy', 'sad'] },
            lang: str(8),
            count: { type: 'integer' },
          },
          ['body'],
        ),
        Reply: object(
          {
            body: str(2000),
            at: str(64),
            by: str(),
            n: { type: 'integer', maximum: 10 },
            size: { type: ['integer', 'null'] },
          },
          ['body', 'at'],
        ),
      },
    },
  };
}

export function released(): { openapi: Doc; asyncapi: Doc } {
  return { openapi: openapi(), asyncapi: asyncapi() };
}
