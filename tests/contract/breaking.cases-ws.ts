/**
 * The WebSocket half of the breaking gate's table (tests/contract/breaking.test.ts): AsyncAPI
 * structure, inbound and outbound payloads, the envelope and x-wsguard.
 */
import type { Case, Docs } from './breaking.cases-http.js';

const text = (docs: Docs) => docs.openapi.components.schemas;
const first = (docs: Docs) => docs.asyncapi.components.schemas;
const option = (docs: Docs, id: string) => docs.asyncapi.operations[id];
const match = (docs: Docs, id: string) => docs.asyncapi.channels.room.messages[id];

export const wsCases: Case[] = [
  // AsyncAPI, structure.
  {
    rule: 'operation-removed',
    where: 'operation',
    subject: 'operation deliverLegacy',
    breaking: ['the operation is removed', (docs) => delete docs.asyncapi.operations.deliverLegacy],
    compatible: [
      'an operation is added',
      (docs) => (docs.asyncapi.operations.deliverLegacyToo = { ...option(docs, 'deliverLegacy') }),
    ],
  },
  {
    rule: 'message-removed',
    where: 'channel',
    subject: 'message room/old (room.old)',
    breaking: [
      'the message and its operation are removed',
      (docs) => {
        delete docs.asyncapi.channels.room.messages.old;
        delete docs.asyncapi.operations.deliverOld;
      },
    ],
    compatible: [
      'a message is added',
      (docs) =>
        (docs.asyncapi.channels.room.messages.fresh = {
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
    breaking: [
      'the address changes',
      (docs) => (docs.asyncapi.channels.feed.address = '/ws/items'),
    ],
    compatible: [
      'the channel gets a description',
      (docs) => (docs.asyncapi.channels.feed.description = 'Items as they come.'),
    ],
  },
  {
    rule: 'message-content-type-changed',
    where: 'outbound',
    subject: 'message room/notice (room.notice)',
    breaking: [
      'the content type changes',
      (docs) => (match(docs, 'notice').contentType = 'text/plain'),
    ],
    compatible: ['the message gets a title', (docs) => (match(docs, 'notice').title = 'A notice')],
  },
  {
    rule: 'operation-action-changed',
    where: 'operation',
    subject: 'operation deliverFlip',
    breaking: ['send becomes receive', (docs) => (option(docs, 'deliverFlip').action = 'receive')],
    compatible: [
      'the operation gets a summary',
      (docs) => (option(docs, 'deliverFlip').summary = 'Flips.'),
    ],
  },
  // AsyncAPI, inbound payloads (receive operations).
  {
    rule: 'required-properties-added',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['mood becomes required', (docs) => first(docs).Chat.required.push('mood')],
    compatible: ['body becomes optional', (docs) => (first(docs).Chat.required = [])],
  },
  {
    rule: 'property-removed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['optional lang is removed', (docs) => delete first(docs).Chat.properties.lang],
    compatible: [
      'an optional field is added',
      (docs) => (first(docs).Chat.properties.topic = { type: 'string' }),
    ],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: [
      'body maxLength 2000 -> 100',
      (docs) => (first(docs).Chat.properties.body.maxLength = 100),
    ],
    compatible: [
      'body maxLength 2000 -> 4000',
      (docs) => (first(docs).Chat.properties.body.maxLength = 4000),
    ],
  },
  {
    rule: 'enum-values-removed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: ['mood loses sad', (docs) => (first(docs).Chat.properties.mood.enum = ['happy'])],
    compatible: ['mood gains meh', (docs) => first(docs).Chat.properties.mood.enum.push('meh')],
  },
  {
    rule: 'schema-type-changed',
    where: 'inbound',
    subject: 'message room/chat (room.chat)',
    breaking: [
      'count becomes a string',
      (docs) => (first(docs).Chat.properties.count.type = 'string'),
    ],
    compatible: [
      'count also takes a string',
      (docs) => (first(docs).Chat.properties.count.type = ['integer', 'string']),
    ],
  },
  // AsyncAPI, outbound payloads (send operations).
  {
    rule: 'property-removed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['optional by is removed', (docs) => delete first(docs).Reply.properties.by],
    compatible: [
      'a field is added',
      (docs) => (first(docs).Reply.properties.extra = { type: 'string' }),
    ],
  },
  {
    rule: 'required-properties-removed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['at may be absent', (docs) => (first(docs).Reply.required = ['body'])],
    compatible: ['by is always present', (docs) => first(docs).Reply.required.push('by')],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: ['n maximum 10 -> 100', (docs) => (first(docs).Reply.properties.n.maximum = 100)],
    compatible: ['n maximum 10 -> 5', (docs) => (first(docs).Reply.properties.n.maximum = 5)],
  },
  {
    rule: 'schema-type-changed',
    where: 'outbound',
    subject: 'message room/reply (room.reply)',
    breaking: [
      'size becomes a string',
      (docs) => (first(docs).Reply.properties.size.type = 'string'),
    ],
    compatible: [
      'size is never null',
      (docs) => (first(docs).Reply.properties.size.type = 'integer'),
    ],
  },
  // The envelope.
  {
    rule: 'required-properties-added',
    where: 'envelope, inbound',
    subject: 'the envelope of every inbound frame',
    breaking: [
      'inbound frames must carry occurredAt',
      (docs) => {
        text(docs).InboundEnvelope.properties.occurredAt = { type: 'string' };
        text(docs).InboundEnvelope.required.push('occurredAt');
      },
    ],
    compatible: [
      'inbound ids may be longer',
      (docs) => (text(docs).InboundEnvelope.properties.id.maxLength = 128),
    ],
  },
  {
    rule: 'required-properties-removed',
    where: 'envelope, outbound',
    subject: 'the envelope of every outbound frame',
    breaking: [
      'outbound frames may omit occurredAt',
      (docs) => (text(docs).EventEnvelope.required = ['id', 'type', 'payload']),
    ],
    compatible: [
      'outbound frames gain an optional field',
      (docs) => (text(docs).EventEnvelope.properties.traceId = { type: 'string' }),
    ],
  },
  {
    rule: 'envelope-type-changed',
    where: 'envelope',
    subject: 'message room/ping (room.ping)',
    breaking: ['frames travel as room.pong', (docs) => (match(docs, 'ping').name = 'room.pong')],
    compatible: ['the message gets a title', (docs) => (match(docs, 'ping').title = 'Ping')],
  },
  {
    rule: 'operation-channel-changed',
    where: 'operation',
    subject: 'operation deliverFeed',
    breaking: [
      'the operation moves to another channel',
      (docs) => {
        docs.asyncapi.channels.room.messages.item = docs.asyncapi.channels.feed.messages.item;
        option(docs, 'deliverFeed').channel = { $ref: '#/channels/room' };
        option(docs, 'deliverFeed').messages = [{ $ref: '#/channels/room/messages/item' }];
      },
    ],
    compatible: [
      'the operation gets a title',
      (docs) => (option(docs, 'deliverFeed').title = 'Feed'),
    ],
  },
  // x-wsguard.
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendChat',
    pointer: '/x-wsguard/auth',
    breaking: [
      'guest -> session',
      (docs) => (option(docs, 'sendChat')['x-wsguard'].auth = 'session'),
    ],
    compatible: [
      'session -> guest',
      (docs) => (option(docs, 'sendSignedIn')['x-wsguard'].auth = 'guest'),
    ],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendSignedIn',
    pointer: '/x-wsguard/permissions',
    breaking: [
      'a permission is added',
      (docs) => option(docs, 'sendSignedIn')['x-wsguard'].permissions.push('chat:moderate'),
    ],
    compatible: [
      'the permission is dropped',
      (docs) => (option(docs, 'sendSignedIn')['x-wsguard'].permissions = []),
    ],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendChat',
    pointer: '/x-wsguard/rateLimit/connection',
    breaking: [
      'the connection limit 10 -> 5 per 60 s',
      (docs) => (option(docs, 'sendChat')['x-wsguard'].rateLimit.connection.limit = 5),
    ],
    compatible: [
      'the connection limit 10 -> 20 per 60 s',
      (docs) => (option(docs, 'sendChat')['x-wsguard'].rateLimit.connection.limit = 20),
    ],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendResume',
    pointer: '/x-wsguard/weightedBy',
    breaking: [
      'frames count per item of another list',
      (docs) => (option(docs, 'sendResume')['x-wsguard'].weightedBy = '/ids/0'),
    ],
    compatible: [
      'frames count once',
      (docs) => delete option(docs, 'sendResume')['x-wsguard'].weightedBy,
    ],
  },
  {
    rule: 'wsguard-tightened',
    where: 'x-wsguard',
    subject: 'operation sendPing',
    pointer: '/x-wsguard/weightedBy',
    breaking: [
      'frames start counting per item',
      (docs) => (option(docs, 'sendPing')['x-wsguard'].weightedBy = '/ids'),
    ],
    compatible: null,
  },
];
