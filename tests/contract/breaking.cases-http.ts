/**
 * The HTTP half of the breaking gate's table (tests/contract/breaking.test.ts): one breaking and one
 * compatible edit per rule, on the fixture of breaking.fixture.ts.
 */
type Doc = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
export type Docs = { openapi: Doc; asyncapi: Doc };

export interface Case {
  /** The rule that must fire on the breaking edit and stay silent on the compatible one. */
  rule: string;
  /** Where the rule looks: request, response, inbound, outbound, guard, envelope... */
  where: string;
  subject: string;
  /** A fragment of the pointer, when several cases share a subject and a rule. */
  pointer?: string;
  /** null where no edit of that kind exists (a rule that only ever allows, or only ever breaks). */
  breaking: [string, (docs: Docs) => void] | null;
  compatible: [string, (docs: Docs) => void] | null;
}

const text = (docs: Docs) => docs.openapi.components.schemas;
const part = (docs: Docs, path: string) => docs.openapi.paths[path];

export const httpCases: Case[] = [
  // OpenAPI, structure.
  {
    rule: 'operation-removed',
    where: 'operation',
    subject: 'GET /removed (removeMe)',
    breaking: ['the operation is removed', (docs) => delete part(docs, '/removed').get],
    compatible: [
      'an operation is added',
      (docs) =>
        (docs.openapi.paths['/added'] = {
          get: { ...part(docs, '/removed').get, operationId: 'added' },
        }),
    ],
  },
  {
    rule: 'parameter-became-required',
    where: 'request',
    subject: 'GET /params (listParams)',
    breaking: [
      'query q becomes required',
      (docs) => (part(docs, '/params').get.parameters[0].required = true),
    ],
    compatible: [
      'an optional query parameter is added',
      (docs) =>
        part(docs, '/params').get.parameters.push({
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
    breaking: ['query r is removed', (docs) => part(docs, '/params').get.parameters.splice(1, 1)],
    compatible: [
      'query r is deprecated',
      (docs) => (part(docs, '/params').get.parameters[1].deprecated = true),
    ],
  },
  {
    rule: 'request-body-became-required',
    where: 'request',
    subject: 'POST /body (postBody)',
    breaking: [
      'the body becomes required',
      (docs) => (part(docs, '/body').post.requestBody.required = true),
    ],
    compatible: [
      'the body gets a description',
      (docs) => (part(docs, '/body').post.requestBody.description = 'optional'),
    ],
  },
  {
    rule: 'media-type-removed',
    where: 'request',
    subject: 'POST /upload (upload)',
    breaking: [
      'the request media type changes',
      (docs) => {
        const item = part(docs, '/upload').post.requestBody.content;
        item['application/vnd.bk+json'] = item['application/json'];
        delete item['application/json'];
      },
    ],
    compatible: [
      'a second request media type is accepted',
      (docs) => {
        const item = part(docs, '/upload').post.requestBody.content;
        item['application/vnd.bk+json'] = item['application/json'];
      },
    ],
  },
  {
    rule: 'security-requirement-changed',
    where: 'request',
    subject: 'GET /secure (secure)',
    breaking: [
      'a scope is added',
      (docs) => (part(docs, '/secure').get.security = [{ session: ['s:read', 's:admin'] }]),
    ],
    compatible: [
      'the scope is dropped',
      (docs) => (part(docs, '/secure').get.security = [{ session: [] }]),
    ],
  },
  {
    rule: 'response-removed',
    where: 'response',
    subject: 'POST /gone (gone)',
    breaking: [
      'the 201 response is removed',
      (docs) => delete part(docs, '/gone').post.responses['201'],
    ],
    compatible: [
      'a 409 response is added',
      (docs) => (part(docs, '/gone').post.responses['409'] = { description: 'conflict' }),
    ],
  },
  {
    rule: 'response-header-removed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: [
      'X-Total is removed',
      (docs) => delete part(docs, '/item').get.responses['200'].headers['X-Total'],
    ],
    compatible: [
      'X-Page is added',
      (docs) =>
        (part(docs, '/item').get.responses['200'].headers['X-Page'] = {
          schema: { type: 'integer' },
        }),
    ],
  },
  {
    rule: 'media-type-removed',
    where: 'response',
    subject: 'GET /download (download)',
    breaking: [
      'the response media type changes',
      (docs) => {
        const item = part(docs, '/download').get.responses['200'].content;
        item['text/csv'] = item['application/json'];
        delete item['application/json'];
      },
    ],
    compatible: [
      'a second response media type is offered',
      (docs) => {
        const item = part(docs, '/download').get.responses['200'].content;
        item['text/csv'] = item['application/json'];
      },
    ],
  },
  // OpenAPI, request schemas.
  {
    rule: 'required-properties-added',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: ['tag becomes required', (docs) => text(docs).CreateReq.required.push('tag')],
    compatible: ['name becomes optional', (docs) => (text(docs).CreateReq.required = [])],
  },
  {
    rule: 'property-removed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: [
      'optional mode is removed under additionalProperties: false',
      (docs) => delete text(docs).CreateReq.properties.mode,
    ],
    compatible: [
      'an optional field is added',
      (docs) => (text(docs).CreateReq.properties.colour = { type: 'string' }),
    ],
  },
  {
    rule: 'enum-values-removed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: ['kind loses y', (docs) => (text(docs).CreateReq.properties.kind.enum = ['x'])],
    compatible: ['kind gains z', (docs) => text(docs).CreateReq.properties.kind.enum.push('z')],
  },
  {
    rule: 'schema-type-changed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: [
      'size becomes a string',
      (docs) => (text(docs).CreateReq.properties.size.type = 'string'),
    ],
    compatible: [
      'size also takes a string',
      (docs) => (text(docs).CreateReq.properties.size.type = ['integer', 'string']),
    ],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'request',
    subject: 'POST /create (create)',
    breaking: [
      'name maxLength 100 -> 50',
      (docs) => (text(docs).CreateReq.properties.name.maxLength = 50),
    ],
    compatible: [
      'name maxLength 100 -> 200',
      (docs) => (text(docs).CreateReq.properties.name.maxLength = 200),
    ],
  },
  // OpenAPI, response schemas.
  {
    rule: 'property-removed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: ['optional note is removed', (docs) => delete text(docs).Item.properties.note],
    compatible: [
      'a field is added',
      (docs) => (text(docs).Item.properties.extra = { type: 'string' }),
    ],
  },
  {
    rule: 'required-properties-removed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: ['status may be absent', (docs) => (text(docs).Item.required = ['id'])],
    compatible: ['note is always present', (docs) => text(docs).Item.required.push('note')],
  },
  {
    rule: 'schema-type-changed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: [
      'size becomes a string',
      (docs) => (text(docs).Item.properties.size.type = 'string'),
    ],
    compatible: [
      'size is never null',
      (docs) => (text(docs).Item.properties.size.type = 'integer'),
    ],
  },
  {
    rule: 'schema-constraint-changed',
    where: 'response',
    subject: 'GET /item (getItem)',
    breaking: [
      'count maximum 100 -> 1000',
      (docs) => (text(docs).Item.properties.count.maximum = 1000),
    ],
    compatible: [
      'count maximum 100 -> 50',
      (docs) => (text(docs).Item.properties.count.maximum = 50),
    ],
  },
  {
    rule: 'enum-values-added',
    where: 'response (a minor change by policy: clients treat an unknown value as other)',
    subject: 'GET /item (getItem)',
    breaking: null,
    compatible: ['status gains c', (docs) => text(docs).Item.properties.status.enum.push('c')],
  },
  // x-balanceguard: tighter is breaking, looser is compatible.
  ...(
    [
      [
        'rateLimit/ip',
        ['the ip limit 5 -> 3 per 600 s', (group) => (group.rateLimit.ip.limit = 3)],
        ['the ip limit 5 -> 10 per 600 s', (group) => (group.rateLimit.ip.limit = 10)],
      ],
      [
        'rateLimit/global',
        [
          'the global rate halves (100 per 60 s -> 100 per 120 s)',
          (group) => (group.rateLimit.global.windowSeconds = 120),
        ],
        [
          'the global burst doubles at the same rate (200 per 120 s)',
          (group) => (group.rateLimit.global = { limit: 200, windowSeconds: 120 }),
        ],
      ],
      [
        'rateLimit/actor',
        [
          'a per-actor limit is added',
          (group) => (group.rateLimit.actor = { limit: 30, windowSeconds: 60 }),
        ],
        ['the ip limit is dropped', (group) => delete group.rateLimit.ip],
      ],
      [
        'bodyLimit',
        ['bodyLimit 1000 -> 500', (group) => (group.bodyLimit = 500)],
        ['bodyLimit 1000 -> 2000', (group) => (group.bodyLimit = 2000)],
      ],
      [
        'surface',
        ['the surface goes site -> client', (group) => (group.surface = 'client')],
        ['rawBody is turned on (only the handler sees it)', (group) => (group.rawBody = true)],
      ],
      [
        'idempotency',
        ['an Idempotency-Key becomes required', (group) => (group.idempotency = 'required')],
        null,
      ],
      [
        'throttle',
        ['a key the gate does not know is added', (group) => (group.throttle = 'strict')],
        null,
      ],
    ] as [string, [string, (group: Doc) => void], [string, (group: Doc) => void] | null][]
  ).map(([pointer, value, item]): Case => ({
    rule: 'guard-tightened',
    where: 'x-balanceguard',
    subject: 'POST /guarded (guarded)',
    pointer: `/x-balanceguard/${pointer}`,
    breaking: [value[0], (docs) => value[1](part(docs, '/guarded').post['x-balanceguard'])],
    compatible: item && [item[0], (docs) => item[1](part(docs, '/guarded').post['x-balanceguard'])],
  })),
  {
    rule: 'guard-tightened',
    where: 'x-balanceguard',
    subject: 'POST /keyed (keyed)',
    pointer: '/x-balanceguard/idempotency',
    breaking: [
      'a required Idempotency-Key is no longer honoured',
      (docs) => (part(docs, '/keyed').post['x-balanceguard'].idempotency = 'none'),
    ],
    compatible: [
      'a required Idempotency-Key becomes optional',
      (docs) => (part(docs, '/keyed').post['x-balanceguard'].idempotency = 'optional'),
    ],
  },
];
