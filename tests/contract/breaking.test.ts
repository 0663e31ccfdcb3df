/**
 * The breaking gate's rules, as a table: for every rule one breaking edit and one compatible edit,
 * in each direction it applies to (HTTP request and response, WebSocket inbound and outbound, our
 * guard extensions and the envelope). The breaking edits are made together on one copy of the
 * fixture and the compatible ones on another, so Redocly runs four times instead of a hundred; the
 * fixture gives each edit its own operation, schema or message so no edit hides another.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareContracts } from '../../codegen/breaking/gate.js';
import type { Break, ContractDocs } from '../../codegen/breaking/policy.js';
import { released } from './breaking.fixture.js';

type Doc = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
type Docs = { openapi: Doc; asyncapi: Doc };

interface Case {
  /** The rule that must fire on the breaking edit and stay silent on the compatible one. */
  rule: string;
  /** Where the rule looks: request, response, inbound, outbound, guard, envelope... */
  where: string;
  subject: string;
  /** A fragment of the pointer, when several cases share a subject and a rule. */
  pointer?: string;
  /** null where no edit of that kind exists (a rule that only ever allows, or only ever breaks). */
  breaking: [string, (d: Docs) => void] | null;
  compatible: [string, (d: Docs) => void] | null;
}

const S = (d: Docs) => d.openapi.components.schemas;
const A = (d: Docs) => d.asyncapi.components.schemas;
const P = (d: Docs, p: string) => d.openapi.paths[p];
const O = (d: Docs, id: string) => d.asyncapi.operations[id];
const M = (d: Docs, id: string) => d.asyncapi.channels.room.messages[id];

const cases: Case[] = [
  // OpenAPI, structure.
  {
    rule: 'operation-removed',
    where: 'operation',
    subject: 'GET /removed (removeMe)',
    breaking: ['the operation is removed', (d) => delete P(d, '/removed').get],
    compatible: [
      'an operation is added',
      (d) =>
        (d.openapi.paths['/added'] = { get: { ...P(d, '/removed').get, operationId: 'added' } }),
    ],
  },
  {
    rule: 'parameter-became-required',
    where: 'request',
    subject: 'GET /params (listParams)',
    breaking: [
      'query q becomes required',
      (d) => (P(d, '/params').get.parameters[0].required = true),
    ],
    compatible: [
      'an optional query parameter is added',
      (d) =>
        P(d, '/params').get.parameters.push({
          name: 's',
          in: 'query',
          required: false,
          schema: {},
        }),
    ],
  },
  {
    rule: 'parameter-removed',
    where: 'request',
    subject: 'GET /params (listParams)',
    breaking: ['query r is removed', (d) => P(d, '/params').get.parameters.splice(1, 1)],
    compatible: [
      'query r is deprecated',
      (d) => (P(d, '/params').get.parameters[1].deprecated = true),
    ],
  },
  {
    rule: 'request-body-became-required',
    where: 'request',
    subject: 'POST /body (postBody)',
    breaking: [
      'the body becomes required',
      (d) => (P(d, '/body').post.requestBody.required = true),
    ],
    compatible: [
      'the body gets a description',
      (d) => (P(d, '/body').post.requestBody.description = 'optional'),
    ],
  },
  {
    rule: 'media-type-removed',
    where: 'request',
    subject: 'POST /upload (upload)',
    breaking: [
      'the request media type changes',
      (d) => {
        const c = P(d, '/upload').post.requestBody.content;
        c['application/vnd.bk+json'] = c['application/json'];
        delete c['application/json'];
      },
    ],
    compatible: [
      'a second request media type is accepted',
      (d) => {
        const c = P(d, '/upload').post.requestBody.content;
        c['application/vnd.bk+json'] = c['application/json'];
      },
    ],
  },
  {
    rule: 'security-requirement-changed',
    where: 'request',
    subject: 'GET /secure (secure)',
    breaking: [
      'a scope is added',
      (d) => (P(d, '/secure').get.security = [{ session: ['s:read', 's:admin'] }]),
    ],
    compatible: ['the scope is dropped', (d) => (P(d, '/secure').get.security = [{ session: [] }])],
  },
  {
    rule: 'response-removed',
    where: 'response',
    subject: 'POST /gone (gone)',
    breaking: ['the 201 response is removed', (d) => delete P(d, '/gone').post.responses['201']],
    compatible: [
      'a 409 response is added',
      (d) => (P(d, '/gone').post.responses['409'] = { description: 'conflict' }),
    ],
  },
  {
    rule: 'response-header-removed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: [
      'X-Total is removed',
      (d) => delete P(d, '/item').get.responses['200'].headers['X-Total'],
    ],
    compatible: [
      'X-Page is added',
      (d) =>
        (P(d, '/item').get.responses['200'].headers['X-Page'] = { schema: { type: 'integer' } }),
    ],
  },
  {
    rule: 'media-type-removed',
    where: 'response',
    subject: 'GET /download (download)',
    breaking: [
      'the response media type changes',
      (d) => {
        const c = P(d, '/download').get.responses['200'].content;
        c['text/csv'] = c['application/json'];
        delete c['application/json'];
      },
    ],
    compatible: [
      'a second response media type is offered',
      (d) => {
        const c = P(d, '/download').get.responses['200'].content;
        c['text/csv'] = c['application/json'];
      },
    ],
  },
  // OpenAPI, request schemas.
  {
    rule: 'required-properties-added',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: ['tag becomes required', (d) => S(d).CreateReq.required.push('tag')],
    compatible: ['name becomes optional', (d) => (S(d).CreateReq.required = [])],
  },
  {
    rule: 'property-removed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: [
      'optional mode is removed under additionalProperties: false',
      (d) => delete S(d).CreateReq.properties.mode,
    ],
    compatible: [
      'an optional field is added',
      (d) => (S(d).CreateReq.properties.colour = { type: 'string' }),
    ],
  },
  {
    rule: 'enum-values-removed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: ['kind loses y', (d) => (S(d).CreateReq.properties.kind.enum = ['x'])],
    compatible: ['kind gains z', (d) => S(d).CreateReq.properties.kind.enum.push('z')],
  },
  {
    rule: 'schema-type-changed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: ['size becomes a string', (d) => (S(d).CreateReq.properties.size.type = 'string')],
    compatible: [
      'size also takes a string',
      (d) => (S(d).CreateReq.properties.size.type = ['integer', 'string']),
    ],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: ['name maxLength 100 -> 50', (d) => (S(d).CreateReq.properties.name.maxLength = 50)],
    compatible: [
      'name maxLength 100 -> 200',
      (d) => (S(d).CreateReq.properties.name.maxLength = 200),
    ],
  },
  // OpenAPI, response schemas.
  {
    rule: 'property-removed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: ['optional note is removed', (d) => delete S(d).Item.properties.note],
    compatible: ['a field is added', (d) => (S(d).Item.properties.extra = { type: 'string' })],
  },
  {
    rule: 'required-properties-removed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: ['status may be absent', (d) => (S(d).Item.required = ['id'])],
    compatible: ['note is always present', (d) => S(d).Item.required.push('note')],
  },
  {
    rule: 'schema-type-changed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: ['size becomes a string', (d) => (S(d).Item.properties.size.type = 'string')],
    compatible: ['size is never null', (d) => (S(d).Item.properties.size.type = 'integer')],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: ['count maximum 100 -> 1000', (d) => (S(d).Item.properties.count.maximum = 1000)],
    compatible: ['count maximum 100 -> 50', (d) => (S(d).Item.properties.count.maximum = 50)],
  },
  {
    rule: 'enum-values-added',
    where: 'response (a minor change by policy: clients treat an unknown value as other)',
    subject: 'GET /item (getItem)',
    breaking: null,
    compatible: ['status gains c', (d) => S(d).Item.properties.status.enum.push('c')],
  },
  // x-balanceguard: tighter is breaking, looser is compatible.
  ...(
    [
      [
        'rateLimit/ip',
        ['the ip limit 5 -> 3 per 600 s', (g) => (g.rateLimit.ip.limit = 3)],
        ['the ip limit 5 -> 10 per 600 s', (g) => (g.rateLimit.ip.limit = 10)],
      ],
      [
        'rateLimit/global',
        [
          'the global rate halves (100 per 60 s -> 100 per 120 s)',
          (g) => (g.rateLimit.global.windowSeconds = 120),
        ],
        [
          'the global burst doubles at the same rate (200 per 120 s)',
          (g) => (g.rateLimit.global = { limit: 200, windowSeconds: 120 }),
        ],
      ],
      [
        'rateLimit/actor',
        [
          'a per-actor limit is added',
          (g) => (g.rateLimit.actor = { limit: 30, windowSeconds: 60 }),
        ],
        ['the ip limit is dropped', (g) => delete g.rateLimit.ip],
      ],
      [
        'bodyLimit',
        ['bodyLimit 1000 -> 500', (g) => (g.bodyLimit = 500)],
        ['bodyLimit 1000 -> 2000', (g) => (g.bodyLimit = 2000)],
      ],
      [
        'surface',
        ['the surface goes site -> client', (g) => (g.surface = 'client')],
        ['rawBody is turned on (only the handler sees it)', (g) => (g.rawBody = true)],
      ],
      [
        'idempotency',
        ['an Idempotency-Key becomes required', (g) => (g.idempotency = 'required')],
        null,
      ],
      ['throttle', ['a key the gate does not know is added', (g) => (g.throttle = 'strict')], null],
    ] as [string, [string, (g: Doc) => void], [string, (g: Doc) => void] | null][]
  ).map(([pointer, b, c]): Case => ({
    rule: 'guard-tightened',
    where: 'x-balanceguard',
    subject: 'POST /guarded (guarded)',
    pointer: `/x-balanceguard/${pointer}`,
    breaking: [b[0], (d) => b[1](P(d, '/guarded').post['x-balanceguard'])],
    compatible: c && [c[0], (d) => c[1](P(d, '/guarded').post['x-balanceguard'])],
  })),
  {
    rule: 'guard-tightened',
    where: 'x-balanceguard',
    subject: 'POST /keyed (keyed)',
    pointer: '/x-balanceguard/idempotency',
    breaking: [
      'a required Idempotency-Key is no longer honoured',
      (d) => (P(d, '/keyed').post['x-balanceguard'].idempotency = 'none'),
    ],
    compatible: [
      'a required Idempotency-Key becomes optional',
      (d) => (P(d, '/keyed').post['x-balanceguard'].idempotency = 'optional'),
    ],
  },
  // AsyncAPI, structure.
  {
    rule: 'operation-removed',
    where: 'operation',
    subject: 'operation deliverLegacy',
    breaking: ['the operation is removed', (d) => delete d.asyncapi.operations.deliverLegacy],
    compatible: [
      'an operation is added',
      (d) => (d.asyncapi.operations.deliverLegacyToo = { ...O(d, 'deliverLegacy') }),
    ],
  },
  {
    rule: 'message-removed',
    where: 'channel',
    subject: 'message room/old (room.old)',
    breaking: [
      'the message and its operation are removed',
      (d) => {
        delete d.asyncapi.channels.room.messages.old;
        delete d.asyncapi.operations.deliverOld;
      },
    ],
    compatible: [
      'a message is added',
      (d) =>
        (d.asyncapi.channels.room.messages.fresh = {
          name: 'room.fresh',
          payload: { type: 'object' },
        }),
    ],
  },
  {
    rule: 'operation-removed',
    where: 'operation (with its message)',
    subject: 'operation deliverOld',
    breaking: ['the message and its operation are removed (the edit above)', () => {}],
    compatible: null,
  },
  {
    rule: 'channel-address-changed',
    where: 'channel',
    subject: 'channel feed',
    breaking: ['the address changes', (d) => (d.asyncapi.channels.feed.address = '/ws/items')],
    compatible: [
      'the channel gets a description',
      (d) => (d.asyncapi.channels.feed.description = 'Items as they come.'),
    ],
  },
  {
    rule: 'message-content-type-changed',
    where: 'outbound',
    subject: 'message room/notice (room.notice)',
    breaking: ['the content type changes', (d) => (M(d, 'notice').contentType = 'text/plain')],
    compatible: ['the message gets a title', (d) => (M(d, 'notice').title = 'A notice')],
  },
  {
    rule: 'operation-action-changed',
    where: 'operation',
    subject: 'operation deliverFlip',
    breaking: ['send becomes receive', (d) => (O(d, 'deliverFlip').action = 'receive')],
    compatible: ['the operation gets a summary', (d) => (O(d, 'deliverFlip').summary = 'Flips.')],
  },
  // AsyncAPI, inbound payloads (receive operations).
  {
    rule: 'required-properties-added',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['mood becomes required', (d) => A(d).Chat.required.push('mood')],
    compatible: ['body becomes optional', (d) => (A(d).Chat.required = [])],
  },
  {
    rule: 'property-removed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['optional lang is removed', (d) => delete A(d).Chat.properties.lang],
    compatible: [
      'an optional field is added',
      (d) => (A(d).Chat.properties.topic = { type: 'string' }),
    ],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['body maxLength 2000 -> 100', (d) => (A(d).Chat.properties.body.maxLength = 100)],
    compatible: [
      'body maxLength 2000 -> 4000',
      (d) => (A(d).Chat.properties.body.maxLength = 4000),
    ],
  },
  {
    rule: 'enum-values-removed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['mood loses sad', (d) => (A(d).Chat.properties.mood.enum = ['happy'])],
    compatible: ['mood gains meh', (d) => A(d).Chat.properties.mood.enum.push('meh')],
  },
  {
    rule: 'schema-type-changed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['count becomes a string', (d) => (A(d).Chat.properties.count.type = 'string')],
    compatible: [
      'count also takes a string',
      (d) => (A(d).Chat.properties.count.type = ['integer', 'string']),
    ],
  },
  // AsyncAPI, outbound payloads (send operations).
  {
    rule: 'property-removed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['optional by is removed', (d) => delete A(d).Reply.properties.by],
    compatible: ['a field is added', (d) => (A(d).Reply.properties.extra = { type: 'string' })],
  },
  {
    rule: 'required-properties-removed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['at may be absent', (d) => (A(d).Reply.required = ['body'])],
    compatible: ['by is always present', (d) => A(d).Reply.required.push('by')],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['n maximum 10 -> 100', (d) => (A(d).Reply.properties.n.maximum = 100)],
    compatible: ['n maximum 10 -> 5', (d) => (A(d).Reply.properties.n.maximum = 5)],
  },
  {
    rule: 'schema-type-changed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['size becomes a string', (d) => (A(d).Reply.properties.size.type = 'string')],
    compatible: ['size is never null', (d) => (A(d).Reply.properties.size.type = 'integer')],
  },
  // The envelope.
  {
    rule: 'required-properties-added',
    where: 'envelope, inbound',
    subject: 'the envelope of every inbound frame',
    breaking: [
      'inbound frames must carry occurredAt',
      (d) => {
        S(d).InboundEnvelope.properties.occurredAt = { type: 'string' };
        S(d).InboundEnvelope.required.push('occurredAt');
      },
    ],
    compatible: [
      'inbound ids may be longer',
      (d) => (S(d).InboundEnvelope.properties.id.maxLength = 128),
    ],
  },
  {
    rule: 'required-properties-removed',
    where: 'envelope, outbound',
    subject: 'the envelope of every outbound frame',
    breaking: [
      'outbound frames may omit occurredAt',
      (d) => (S(d).EventEnvelope.required = ['id', 'type', 'payload']),
    ],
    compatible: [
      'outbound frames gain an optional field',
      (d) => (S(d).EventEnvelope.properties.traceId = { type: 'string' }),
    ],
  },
  {
    rule: 'envelope-type-changed',
    where: 'envelope',
    subject: 'message room/ping (room.ping)',
    breaking: ['frames travel as room.pong', (d) => (M(d, 'ping').name = 'room.pong')],
    compatible: ['the message gets a title', (d) => (M(d, 'ping').title = 'Ping')],
  },
  {
    rule: 'operation-channel-changed',
    where: 'operation',
    subject: 'operation deliverFeed',
    breaking: [
      'the operation moves to another channel',
      (d) => {
        d.asyncapi.channels.room.messages.item = d.asyncapi.channels.feed.messages.item;
        O(d, 'deliverFeed').channel = { $ref: '#/channels/room' };
        O(d, 'deliverFeed').messages = [{ $ref: '#/channels/room/messages/item' }];
      },
    ],
    compatible: ['the operation gets a title', (d) => (O(d, 'deliverFeed').title = 'Feed')],
  },
  // x-wsguard.
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendChat',
    pointer: '/x-wsguard/auth',
    breaking: ['guest -> session', (d) => (O(d, 'sendChat')['x-wsguard'].auth = 'session')],
    compatible: ['session -> guest', (d) => (O(d, 'sendSignedIn')['x-wsguard'].auth = 'guest')],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendSignedIn',
    pointer: '/x-wsguard/permissions',
    breaking: [
      'a permission is added',
      (d) => O(d, 'sendSignedIn')['x-wsguard'].permissions.push('chat:moderate'),
    ],
    compatible: [
      'the permission is dropped',
      (d) => (O(d, 'sendSignedIn')['x-wsguard'].permissions = []),
    ],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendChat',
    pointer: '/x-wsguard/rateLimit/connection',
    breaking: [
      'the connection limit 10 -> 5 per 60 s',
      (d) => (O(d, 'sendChat')['x-wsguard'].rateLimit.connection.limit = 5),
    ],
    compatible: [
      'the connection limit 10 -> 20 per 60 s',
      (d) => (O(d, 'sendChat')['x-wsguard'].rateLimit.connection.limit = 20),
    ],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendResume',
    pointer: '/x-wsguard/weightedBy',
    breaking: [
      'frames count per item of another list',
      (d) => (O(d, 'sendResume')['x-wsguard'].weightedBy = '/ids/0'),
    ],
    compatible: ['frames count once', (d) => delete O(d, 'sendResume')['x-wsguard'].weightedBy],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendPing',
    pointer: '/x-wsguard/weightedBy',
    breaking: [
      'frames start counting per item',
      (d) => (O(d, 'sendPing')['x-wsguard'].weightedBy = '/ids'),
    ],
    compatible: null,
  },
];

const claims = (c: Case, b: Break) =>
  b.rule === c.rule && b.subject === c.subject && (!c.pointer || b.pointer.includes(c.pointer));

describe('the breaking gate, rule by rule', () => {
  let breaking: Break[] = [];
  let compatible: Break[] = [];
  beforeAll(async () => {
    const apply = (which: 'breaking' | 'compatible') => {
      const d = released();
      for (const c of cases) c[which]?.[1](d);
      return compareContracts(released() as ContractDocs, d as ContractDocs);
    };
    const [b, c] = await Promise.all([apply('breaking'), apply('compatible')]);
    [breaking, compatible] = [b.breaks, c.breaks];
  });

  it('when nothing changed, then there is no break', async () => {
    const r = await compareContracts(released() as ContractDocs, released() as ContractDocs);
    expect(r.breaks).toEqual([]);
  });

  for (const c of cases) {
    const name = `${c.rule} (${c.where}, ${c.subject})`;
    const [breakingEdit, compatibleEdit] = [c.breaking, c.compatible];
    if (breakingEdit)
      it(`${name}: when ${breakingEdit[0]}, then it fires`, () => {
        expect(
          breaking.filter((b) => claims(c, b)),
          JSON.stringify(breaking, null, 1),
        ).not.toEqual([]);
      });
    if (compatibleEdit)
      it(`${name}: when ${compatibleEdit[0]}, then it stays silent`, () => {
        expect(compatible.filter((b) => b.rule === c.rule)).toEqual([]);
      });
  }

  it('when every compatible edit is made at once, then nothing breaks at all', () => {
    expect(compatible).toEqual([]);
  });

  it('when every breaking edit is made at once, then each break belongs to one of the edits and reads as a line', () => {
    expect(breaking.filter((b) => !cases.some((c) => claims(c, b)))).toEqual([]);
    for (const b of breaking) {
      expect(b.message.length).toBeGreaterThan(0);
      expect(b.at.length).toBeGreaterThan(0);
    }
  });
});
