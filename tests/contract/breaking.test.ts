import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareContracts, type Break, type ContractDocs } from '../../codegen/breaking/compare.js';
import type { JsonObject } from '../../codegen/load.js';

type Doc = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are mutated freely

/** A small released contract: one list operation, one create operation, one inbound and one outbound message. */
function released(): { openapi: Doc; asyncapi: Doc } {
  const schemas = {
    Status: { type: 'string', enum: ['open', 'closed'] },
    Item: {
      type: 'object',
      required: ['id', 'status'],
      properties: {
        id: { type: 'string' },
        status: { $ref: '#/components/schemas/Status' },
        note: { type: 'string' },
        count: { type: 'integer' },
      },
    },
    CreateItem: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        status: { $ref: '#/components/schemas/Status' },
        tag: { type: 'string' },
      },
    },
    Chat: {
      type: 'object',
      required: ['body'],
      properties: { body: { type: 'string' }, mood: { type: 'string', enum: ['happy', 'sad'] } },
    },
    Reply: {
      type: 'object',
      required: ['body', 'at'],
      properties: { body: { type: 'string' }, at: { type: 'string' }, by: { type: 'string' } },
    },
  };
  const json = (ref: string) => ({
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
  });
  return {
    openapi: {
      openapi: '3.1.0',
      info: { title: 't', version: '1.0.0' },
      paths: {
        '/items': {
          get: {
            operationId: 'listItems',
            parameters: [
              {
                name: 'status',
                in: 'query',
                required: false,
                schema: { $ref: '#/components/schemas/Status' },
              },
            ],
            responses: { '200': { description: 'ok', ...json('Item') } },
          },
          post: {
            operationId: 'createItem',
            requestBody: { required: true, ...json('CreateItem') },
            responses: { '201': { description: 'ok', ...json('Item') } },
          },
        },
      },
      components: { schemas },
    },
    asyncapi: {
      asyncapi: '3.0.0',
      info: { title: 't', version: '1.0.0' },
      channels: {
        room: {
          address: '/ws',
          messages: {
            chat: { name: 'room.chat', payload: { $ref: '#/components/schemas/Chat' } },
            reply: { name: 'room.reply', payload: { $ref: '#/components/schemas/Reply' } },
          },
        },
      },
      operations: {
        sendChat: {
          action: 'receive',
          channel: { $ref: '#/channels/room' },
          messages: [{ $ref: '#/channels/room/messages/chat' }],
        },
        deliverReply: {
          action: 'send',
          channel: { $ref: '#/channels/room' },
          messages: [{ $ref: '#/channels/room/messages/reply' }],
        },
      },
      components: { schemas },
    },
  };
}

interface Case {
  name: string;
  change: (d: { openapi: Doc; asyncapi: Doc }) => void;
  want: { rule: Break['rule']; document: Break['document']; subject: string; pointer: string }[];
}

const cases: Case[] = [
  // OpenAPI
  {
    name: 'an operation is removed',
    change: (d) => delete d.openapi.paths['/items'].post,
    want: [
      {
        rule: 'removed-operation',
        document: 'openapi',
        subject: 'POST /items (createItem)',
        pointer: '/paths/~1items/post',
      },
    ],
  },
  {
    name: 'a property is removed from a 2xx response schema (through a $ref)',
    change: (d) => delete d.openapi.components.schemas.Item.properties.note,
    want: [
      {
        rule: 'removed-response-field',
        document: 'openapi',
        subject: 'GET /items (listItems)',
        pointer: '/components/schemas/Item/properties/note',
      },
      {
        rule: 'removed-response-field',
        document: 'openapi',
        subject: 'POST /items (createItem)',
        pointer: '/components/schemas/Item/properties/note',
      },
    ],
  },
  {
    name: 'a request body property becomes required',
    change: (d) => d.openapi.components.schemas.CreateItem.required.push('tag'),
    want: [
      {
        rule: 'new-required-request-field',
        document: 'openapi',
        subject: 'POST /items (createItem)',
        pointer: '/components/schemas/CreateItem/required',
      },
    ],
  },
  {
    name: 'a new required query parameter is added',
    change: (d) =>
      d.openapi.paths['/items'].get.parameters.push({
        name: 'kitchen',
        in: 'query',
        required: true,
        schema: { type: 'string' },
      }),
    want: [
      {
        rule: 'new-required-request-field',
        document: 'openapi',
        subject: 'GET /items (listItems)',
        pointer: '/paths/~1items/get/parameters/1/required',
      },
    ],
  },
  {
    name: 'a value is removed from an enum used by a request and a response',
    change: (d) => (d.openapi.components.schemas.Status.enum = ['open']),
    want: [
      {
        rule: 'narrowed-enum',
        document: 'openapi',
        subject: 'GET /items (listItems)',
        pointer: '/components/schemas/Status/enum',
      },
      {
        rule: 'narrowed-enum',
        document: 'openapi',
        subject: 'GET /items (listItems)',
        pointer: '/components/schemas/Status/enum',
      },
      {
        rule: 'narrowed-enum',
        document: 'openapi',
        subject: 'POST /items (createItem)',
        pointer: '/components/schemas/Status/enum',
      },
      {
        rule: 'narrowed-enum',
        document: 'openapi',
        subject: 'POST /items (createItem)',
        pointer: '/components/schemas/Status/enum',
      },
    ],
  },
  {
    name: 'a response field changes type',
    change: (d) => (d.openapi.components.schemas.Item.properties.count.type = 'string'),
    want: [
      {
        rule: 'changed-type',
        document: 'openapi',
        subject: 'GET /items (listItems)',
        pointer: '/components/schemas/Item/properties/count/type',
      },
      {
        rule: 'changed-type',
        document: 'openapi',
        subject: 'POST /items (createItem)',
        pointer: '/components/schemas/Item/properties/count/type',
      },
    ],
  },
  // AsyncAPI
  {
    name: 'an AsyncAPI message is removed',
    change: (d) => delete d.asyncapi.channels.room.messages.reply,
    want: [
      {
        rule: 'removed-message',
        document: 'asyncapi',
        subject: 'message room/reply (room.reply)',
        pointer: '/channels/room/messages/reply',
      },
    ],
  },
  {
    name: 'an AsyncAPI operation is removed',
    change: (d) => delete d.asyncapi.operations.deliverReply,
    want: [
      {
        rule: 'removed-operation',
        document: 'asyncapi',
        subject: 'operation deliverReply',
        pointer: '/operations/deliverReply',
      },
    ],
  },
  {
    name: 'a field is removed from an outbound message payload',
    change: (d) => delete d.asyncapi.components.schemas.Reply.properties.by,
    want: [
      {
        rule: 'removed-response-field',
        document: 'asyncapi',
        subject: 'message room/reply (room.reply)',
        pointer: '/components/schemas/Reply/properties/by',
      },
    ],
  },
  {
    name: 'an inbound message payload field becomes required',
    change: (d) => d.asyncapi.components.schemas.Chat.required.push('mood'),
    want: [
      {
        rule: 'new-required-request-field',
        document: 'asyncapi',
        subject: 'message room/chat (room.chat)',
        pointer: '/components/schemas/Chat/required',
      },
    ],
  },
  {
    name: 'an enum value is removed from an inbound message payload',
    change: (d) => (d.asyncapi.components.schemas.Chat.properties.mood.enum = ['happy']),
    want: [
      {
        rule: 'narrowed-enum',
        document: 'asyncapi',
        subject: 'message room/chat (room.chat)',
        pointer: '/components/schemas/Chat/properties/mood/enum',
      },
    ],
  },
  {
    name: 'an inbound message payload field changes type',
    change: (d) => (d.asyncapi.components.schemas.Chat.properties.body.type = 'integer'),
    want: [
      {
        rule: 'changed-type',
        document: 'asyncapi',
        subject: 'message room/chat (room.chat)',
        pointer: '/components/schemas/Chat/properties/body/type',
      },
    ],
  },
  // Additive changes pass.
  {
    name: 'only additive changes are made (new optional fields, a new operation, a new request enum value, a new message)',
    change: (d) => {
      d.openapi.components.schemas.CreateItem.properties.colour = { type: 'string' };
      d.openapi.components.schemas.Item.properties.colour = { type: 'string' };
      d.openapi.paths['/items'].get.parameters.push({
        name: 'q',
        in: 'query',
        required: false,
        schema: { type: 'string' },
      });
      d.openapi.paths['/items/{id}'] = {
        get: {
          operationId: 'getItem',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'ok' } },
        },
      };
      d.asyncapi.components.schemas.Chat.properties.mood.enum.push('curious');
      d.asyncapi.components.schemas.Chat.properties.lang = { type: 'string' };
      d.asyncapi.channels.room.messages.typing = {
        name: 'room.typing',
        payload: { $ref: '#/components/schemas/Chat' },
      };
      d.asyncapi.operations.sendTyping = {
        action: 'receive',
        channel: { $ref: '#/channels/room' },
        messages: [{ $ref: '#/channels/room/messages/typing' }],
      };
    },
    want: [],
  },
  {
    name: 'breaking changes come with a new major info.version on both documents',
    change: (d) => {
      delete d.openapi.paths['/items'].post;
      d.openapi.info.version = '2.0.0';
      delete d.asyncapi.channels.room.messages.reply;
      d.asyncapi.info.version = '2.0.0';
    },
    want: [],
  },
  {
    name: 'only the OpenAPI major changed and the AsyncAPI document still breaks',
    change: (d) => {
      delete d.openapi.paths['/items'].post;
      d.openapi.info.version = '2.0.0';
      delete d.asyncapi.operations.deliverReply;
      d.asyncapi.info.version = '1.1.0';
    },
    want: [
      {
        rule: 'removed-operation',
        document: 'asyncapi',
        subject: 'operation deliverReply',
        pointer: '/operations/deliverReply',
      },
    ],
  },
];

describe('compareContracts', () => {
  it('when nothing changed, then there is no break', () => {
    expect(compareContracts(released() as ContractDocs, released() as ContractDocs)).toEqual([]);
  });

  for (const c of cases) {
    it(`when ${c.name}, then ${
      c.want.length
        ? c.want
            .map((w) => w.rule)
            .filter((r, i, a) => a.indexOf(r) === i)
            .join(', ') + ' fires'
        : 'it passes'
    }`, () => {
      const next = released();
      c.change(next);
      const breaks = compareContracts(released() as ContractDocs, next as ContractDocs);
      const got = breaks.map(({ rule, document, subject, pointer }) => ({
        rule,
        document,
        subject,
        pointer,
      }));
      const order = (a: { subject: string; pointer: string; rule: string }, b: typeof a) =>
        `${a.rule}${a.subject}${a.pointer}`.localeCompare(`${b.rule}${b.subject}${b.pointer}`);
      expect(got.sort(order)).toEqual([...c.want].sort(order));
      for (const b of breaks) expect(b.message.length).toBeGreaterThan(0);
    });
  }

  it('when the released v1 snapshot loses an EnquiryStatus value, then the gate names the operations and the enum pointer', () => {
    const dir = path.resolve(import.meta.dirname, '../../contracts/released/v1');
    const load = (): ContractDocs => ({
      openapi: JSON.parse(readFileSync(path.join(dir, 'openapi.json'), 'utf8')) as JsonObject,
      asyncapi: JSON.parse(readFileSync(path.join(dir, 'asyncapi.json'), 'utf8')) as JsonObject,
    });
    const next = load() as { openapi: Doc; asyncapi: Doc };
    const status = next.openapi.components.schemas.EnquiryStatus;
    status.enum = status.enum.filter((v: string) => v !== 'closed');
    const breaks = compareContracts(load(), next as ContractDocs);
    expect(breaks.length).toBeGreaterThan(0);
    expect(
      breaks.every(
        (b) => b.rule === 'narrowed-enum' && b.pointer === '/components/schemas/EnquiryStatus/enum',
      ),
    ).toBe(true);
    expect(breaks.map((b) => b.subject)).toContain('GET /api/v1/admin/enquiries (listEnquiries)');
  });
});
