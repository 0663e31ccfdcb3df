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
  breaking: [string, (d: Docs) => void] | null;
  compatible: [string, (d: Docs) => void] | null;
}

const S = (d: Docs) => d.openapi.components.schemas;
const P = (d: Docs, p: string) => d.openapi.paths[p];

export const httpCases: Case[] = [
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
];
