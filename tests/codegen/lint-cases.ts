import type { Finding } from '../../codegen/lint/rules.js';
import { ASYNCAPI, CREATE, LIST, OPENAPI, SCHEMAS, type Mutations } from './fixture.js';

/** The fixture's POST operation (the mutations edit the contract as untyped data). */
export const post = (data: any) => data.paths['/api/v1/admin/things'].post; // eslint-disable-line @typescript-eslint/no-explicit-any
const list = (data: any) => data.paths['/api/v1/site/things'].get; // eslint-disable-line @typescript-eslint/no-explicit-any
const JSON_MEDIA = 'content/application~1json';
/** The rate-limit headers every response of a rate-limited operation declares. */
const RL = {
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
  RateLimit: { $ref: '#/components/headers/RateLimit' },
};

/** Each rule of lint:contracts, broken one way in the fixture, with the finding it must give. */
export const cases: {
  given: string;
  mutations: Mutations;
  want: Pick<Finding, 'rule' | 'file' | 'pointer'>[];
}[] = [
  {
    given: 'an operation without operationId',
    mutations: { [OPENAPI]: (data) => void delete post(data).operationId },
    want: [{ rule: 'operation-operationId', file: OPENAPI, pointer: `${CREATE}/operationId` }],
  },
  {
    given: 'an operation without a surface',
    mutations: { [OPENAPI]: (data) => void delete post(data)['x-balanceguard'].surface },
    want: [
      { rule: 'operation-surface', file: OPENAPI, pointer: `${CREATE}/x-balanceguard/surface` },
    ],
  },
  {
    given: 'a request body without examples',
    mutations: {
      [OPENAPI]: (data) => void delete post(data).requestBody.content['application/json'].examples,
    },
    want: [
      {
        rule: 'examples-required',
        file: OPENAPI,
        pointer: `${CREATE}/requestBody/${JSON_MEDIA}/examples`,
      },
    ],
  },
  {
    given: 'a response without examples',
    mutations: {
      [OPENAPI]: (data) =>
        void delete data.paths['/api/v1/site/things'].get.responses['200'].content[
          'application/json'
        ].examples,
    },
    want: [
      {
        rule: 'examples-required',
        file: OPENAPI,
        pointer: `${LIST}/responses/200/${JSON_MEDIA}/examples`,
      },
    ],
  },
  {
    given: 'an AsyncAPI message without examples',
    mutations: { [ASYNCAPI]: (data) => void delete data.components.messages.Pong.examples },
    want: [
      { rule: 'examples-required', file: ASYNCAPI, pointer: '/components/messages/Pong/examples' },
    ],
  },
  {
    given: 'a 4xx response as application/json',
    mutations: {
      [OPENAPI]: (data) =>
        void (post(data).responses['409'] = {
          description: 'Conflict.',
          headers: RL,
          content: {
            'application/json': {
              schema: { $ref: './components/schemas/core.yaml#/Problem' },
              example: { type: 'x', title: 'x', status: 409, code: 'SERVER.INTERNAL' },
            },
          },
        }),
    },
    want: [
      { rule: 'error-problem-json', file: OPENAPI, pointer: `${CREATE}/responses/409/content` },
    ],
  },
  {
    given: 'a 5xx problem+json response with another schema',
    mutations: {
      [OPENAPI]: (data) =>
        void (post(data).responses['500'] = {
          description: 'Oops.',
          headers: RL,
          content: {
            'application/problem+json': {
              schema: { $ref: './components/schemas/core.yaml#/Thing' },
              example: { id: 'a', name: 'b' },
            },
          },
        }),
    },
    want: [
      {
        rule: 'error-problem-json',
        file: OPENAPI,
        pointer: `${CREATE}/responses/500/content/application~1problem+json/schema`,
      },
    ],
  },
  {
    given: 'an anonymous inline request body schema',
    mutations: {
      [OPENAPI]: (data) =>
        void (post(data).requestBody.content['application/json'].schema = {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 100 } },
        }),
    },
    want: [
      {
        rule: 'no-inline-body-schema',
        file: OPENAPI,
        pointer: `${CREATE}/requestBody/${JSON_MEDIA}/schema`,
      },
    ],
  },
  {
    given: 'a rate-limited operation whose response leaves out RateLimit',
    mutations: { [OPENAPI]: (data) => void delete post(data).responses['201'].headers.RateLimit },
    want: [
      {
        rule: 'rate-limit-headers',
        file: OPENAPI,
        pointer: `${CREATE}/responses/201/headers/RateLimit`,
      },
    ],
  },
  {
    given:
      'a rate-limited operation with a 413 that declares no rate-limit headers (answered before the limits)',
    mutations: {
      [OPENAPI]: (data) =>
        void (post(data).responses['413'] = {
          description: 'Too large.',
          content: {
            'application/problem+json': {
              schema: { $ref: './components/schemas/core.yaml#/Problem' },
              example: { type: 'x', title: 'x', status: 413, code: 'SERVER.INTERNAL' },
            },
          },
        }),
    },
    want: [],
  },
  {
    given: 'a receive operation without x-wsguard',
    mutations: { [ASYNCAPI]: (data) => void delete data.operations.sendPing['x-wsguard'] },
    want: [
      { rule: 'wsguard-on-receive', file: ASYNCAPI, pointer: '/operations/sendPing/x-wsguard' },
    ],
  },
  // guard-statuses: what BalanceGuard can answer follows from the operation, so it must be declared.
  {
    given: 'a bodyless read without 413',
    mutations: { [OPENAPI]: (data) => void delete list(data).responses['413'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${LIST}/responses` }],
  },
  {
    given: 'a read without 400',
    mutations: { [OPENAPI]: (data) => void delete list(data).responses['400'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${LIST}/responses` }],
  },
  {
    given: 'an operation with a body without 415',
    mutations: { [OPENAPI]: (data) => void delete post(data).responses['415'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${CREATE}/responses` }],
  },
  {
    given: 'a secured operation without 401',
    mutations: { [OPENAPI]: (data) => void delete post(data).responses['401'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${CREATE}/responses` }],
  },
  {
    given: 'a scoped unsafe operation without 403',
    mutations: { [OPENAPI]: (data) => void delete post(data).responses['403'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${CREATE}/responses` }],
  },
  {
    given: 'a rate-limited operation without 429',
    mutations: { [OPENAPI]: (data) => void delete list(data).responses['429'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${LIST}/responses` }],
  },
  {
    given: 'an idempotent operation without 409 and 422',
    mutations: {
      [OPENAPI]: (data) =>
        void (delete post(data).responses['409'], delete post(data).responses['422']),
    },
    want: [
      { rule: 'guard-statuses', file: OPENAPI, pointer: `${CREATE}/responses` },
      { rule: 'guard-statuses', file: OPENAPI, pointer: `${CREATE}/responses` },
    ],
  },
  {
    given: 'an operation without 503',
    mutations: { [OPENAPI]: (data) => void delete list(data).responses['503'] },
    want: [{ rule: 'guard-statuses', file: OPENAPI, pointer: `${LIST}/responses` }],
  },
  {
    given: 'an operation marked x-database: false without 503',
    mutations: {
      [OPENAPI]: (data) =>
        void (delete list(data).responses['503'], (list(data)['x-database'] = false)),
    },
    want: [],
  },
  {
    given: 'an operation whose 4XX range covers 400 and 413',
    mutations: {
      [OPENAPI]: (data) =>
        void (
          (list(data).responses['4XX'] = list(data).responses['400']),
          delete list(data).responses['400'],
          delete list(data).responses['413']
        ),
    },
    want: [],
  },
  // bounded-schemas: every string, array and integer is bounded, in both documents.
  {
    given: 'a string without maxLength',
    mutations: { [SCHEMAS]: (data) => void delete data.Thing.properties.name.maxLength },
    want: [{ rule: 'bounded-schemas', file: SCHEMAS, pointer: '/Thing/properties/name' }],
  },
  {
    given: 'an array without maxItems',
    mutations: { [SCHEMAS]: (data) => void delete data.ThingPage.properties.items.maxItems },
    want: [{ rule: 'bounded-schemas', file: SCHEMAS, pointer: '/ThingPage/properties/items' }],
  },
  {
    given: 'an integer of a realtime payload without maximum',
    mutations: { [SCHEMAS]: (data) => void delete data.Ping.properties.seq.maximum },
    want: [{ rule: 'bounded-schemas', file: SCHEMAS, pointer: '/Ping/properties/seq' }],
  },
  {
    given: 'a query integer without minimum',
    mutations: { [OPENAPI]: (data) => void delete list(data).parameters[0].schema.minimum },
    want: [{ rule: 'bounded-schemas', file: OPENAPI, pointer: `${LIST}/parameters/0/schema` }],
  },
  {
    given: 'a string bounded by an enum',
    mutations: {
      [SCHEMAS]: (data) => void (data.Thing.properties.name = { type: 'string', enum: ['Soup'] }),
    },
    want: [],
  },
  {
    given: 'an unbounded property named like a keyword (default)',
    mutations: { [SCHEMAS]: (data) => void (data.Thing.properties.default = { type: 'string' }) },
    want: [{ rule: 'bounded-schemas', file: SCHEMAS, pointer: '/Thing/properties/default' }],
  },
];
