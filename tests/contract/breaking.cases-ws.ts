/**
 * The WebSocket half of the breaking gate's table (tests/contract/breaking.test.ts): AsyncAPI
 * structure, inbound and outbound payloads, the envelope and x-wsguard.
 */
import type { Case, Docs } from './breaking.cases-http.js';

const S = (d: Docs) => d.openapi.components.schemas;
const A = (d: Docs) => d.asyncapi.components.schemas;
const O = (d: Docs, id: string) => d.asyncapi.operations[id];
const M = (d: Docs, id: string) => d.asyncapi.channels.room.messages[id];

export const wsCases: Case[] = [
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
