import { describe, expect, it } from 'vitest';
import { CodegenError, CodegenErrors } from '../../codegen/errors.js';
import { generate } from '../../codegen/generate.js';
import { CREATE, fixture, LIST, OPENAPI, SCHEMAS, ASYNCAPI, type Mutations } from './fixture.js';

async function run(mutations: Mutations = {}) {
  const field = fixture(mutations);
  try {
    const result = await generate({
      projectRoot: field.root,
      contractsDir: 'contracts/v1',
      outDir: 'generated/v1',
    });
    const file = (name: string) =>
      result.files.find((file) => file.path === `generated/v1/${name}`)?.content ?? '';
    return { result, file };
  } finally {
    field.cleanup();
  }
}

/** The message of the contract error generate() throws, or a failure if it generated. */
async function failure(mutations: Mutations): Promise<string> {
  try {
    await run(mutations);
  } catch (err) {
    if (err instanceof CodegenError || err instanceof CodegenErrors) return err.message;
    throw err;
  }
  throw new Error('generate() accepted the contract');
}

interface EmitCase {
  given: string;
  mutations: Mutations;
  file: string;
  want: string[];
}

const emitCases: EmitCase[] = [
  {
    given: 'an anonymous site read',
    mutations: {},
    file: 'operations.ts',
    want: [
      '  listThings: {',
      '    method: "GET",',
      '    path: "/api/v1/site/things",',
      '    pathPattern: /^\\/api\\/v1\\/site\\/things$/,',
      '    surface: "site",',
      '    security: [],',
      '    guard: {"rateLimit":{"ip":{"limit":10,"windowSeconds":60}},"bodyLimit":0,"idempotency":"none"},',
      '      query: coerce.listThingsQuery,',
      '      body: null,',
      '      "200": { contentType: "application/json", validate: strict.schemaThingPage },',
      '      "400": { contentType: "application/problem+json", validate: strict.schemaProblem },',
    ],
  },
  {
    given: 'a secured admin write with a body',
    mutations: {},
    file: 'operations.ts',
    want: [
      '    surface: "admin",',
      '    security: [{"adminSession":["things:write"],"csrfToken":[]}],',
      '    guard: {"rateLimit":{"actor":{"limit":10,"windowSeconds":60}},"bodyLimit":1024,"idempotency":"optional"},',
      '      body: { required: true, contentType: "application/json", validate: strict.schemaCreateThing },',
      '      "201": { contentType: "application/json", validate: strict.schemaThing },',
    ],
  },
  {
    given: 'a path parameter',
    mutations: {
      [OPENAPI]: (data) => {
        data.paths['/api/v1/site/things/{thingId}'] = {
          get: {
            operationId: 'getThing',
            security: [],
            'x-balanceguard': {
              surface: 'site',
              rateLimit: { ip: { limit: 10, windowSeconds: 60 } },
              bodyLimit: 0,
            },
            parameters: [
              { name: 'thingId', in: 'path', required: true, schema: { type: 'string' } },
            ],
            responses: {
              '200': {
                description: 'One.',
                content: {
                  'application/json': { schema: { $ref: './components/schemas/core.yaml#/Thing' } },
                },
              },
            },
          },
        };
      },
    },
    file: 'operations.ts',
    want: [
      '    pathPattern: /^\\/api\\/v1\\/site\\/things\\/([^\\/]+)$/,',
      '    pathParams: ["thingId"],',
      '      params: coerce.getThingParams,',
    ],
  },
  {
    given: 'the handler interface of both operations',
    mutations: {},
    file: 'handlers.ts',
    want: [
      'export interface Handlers<Ctx> {',
      '  listThings(input: ListThingsInput<Ctx>): Promise<ListThingsResult>;',
      '  createThing(input: CreateThingInput<Ctx>): Promise<CreateThingResult>;',
      '  body: NonNullable<Ops["createThing"][\'requestBody\']>[\'content\']["application/json"];',
      '  | { status: 201; body: Ops["createThing"][\'responses\'][201][\'content\']["application/json"]; headers?: ResponseHeaders };',
      'export const operationIds = ["listThings","createThing"] as const;',
    ],
  },
  {
    given: 'a 204 response without content',
    mutations: {
      [OPENAPI]: (data) => {
        data.paths['/api/v1/admin/things'].post.responses['204'] = { description: 'Nothing new.' };
      },
    },
    file: 'handlers.ts',
    want: ['  | { status: 204; body?: undefined; headers?: ResponseHeaders };'],
  },
  {
    given: 'an inbound and an outbound WS message',
    mutations: {},
    file: 'ws-events.ts',
    want: [
      '    address: "/ws/v1/site",',
      '      "room.ping": { operationId: "sendPing", type: "room.ping", validate: strict.wsRoomPingFrame, guard: {"auth":"guest","rateLimit":{"connection":{"limit":5,"windowSeconds":60}}} },',
      '      "room.pong": { operationId: "deliverPong", type: "room.pong", validate: strict.wsRoomPongFrame, examples: [{"seq":1}] },',
    ],
  },
];

describe('generate: emitted operation table, handler interfaces and WS table', () => {
  for (const emitCase of emitCases) {
    it(`when given ${emitCase.given}, then ${emitCase.file} has the expected lines`, async () => {
      const { file } = await run(emitCase.mutations);
      const lines = file(emitCase.file).split('\n');
      for (const want of emitCase.want) expect(lines).toContain(want);
    });
  }

  it('when an operation is removed from the contract, then it leaves the operation table and the handler interface', async () => {
    const { file, result } = await run({
      [OPENAPI]: (data) => void delete data.paths['/api/v1/admin/things'],
    });
    expect(result.operations.map((operation) => operation.operationId)).toEqual(['listThings']);
    expect(file('handlers.ts')).not.toContain('createThing');
    expect(file('operations.ts')).not.toContain('createThing');
  });

  it('when generating, then every file starts with the generated-by header naming its contract', async () => {
    const { result } = await run();
    for (const file of result.files) {
      if (file.path.endsWith('.json'))
        expect(file.content).toContain(
          '"x-generated-by": "codegen (npm run generate) from contracts/v1/',
        );
      else
        expect(
          file.content.startsWith('// Generated by codegen (npm run generate) from contracts/v1/'),
        ).toBe(true);
    }
  });
});

interface FailCase {
  given: string;
  mutations: Mutations;
  /** `file#pointer` the message must name. */
  at: string;
  says: RegExp;
}

const failCases: FailCase[] = [
  {
    given: 'a duplicate operationId',
    mutations: {
      [OPENAPI]: (data) =>
        void (data.paths['/api/v1/admin/things'].post.operationId = 'listThings'),
    },
    at: `${OPENAPI}#${CREATE}/operationId`,
    says: /duplicate operationId "listThings" \(first at contracts\/v1\/openapi\.yaml#\/paths\/~1api~1v1~1site~1things\/get\)/,
  },
  {
    given: 'an operation without a surface',
    mutations: {
      [OPENAPI]: (data) => void delete data.paths['/api/v1/site/things'].get['x-balanceguard'],
    },
    at: `${OPENAPI}#${LIST}/x-balanceguard/surface`,
    says: /operation has no surface/,
  },
  {
    given: 'a secured operation naming an undefined scheme',
    mutations: {
      [OPENAPI]: (data) =>
        void (data.paths['/api/v1/admin/things'].post.security = [
          { staffSession: [], csrfToken: [] },
        ]),
    },
    at: `${OPENAPI}#${CREATE}/security/0/staffSession`,
    says: /names scheme "staffSession", which components\.securitySchemes does not define/,
  },
  {
    given: 'a schema ajv cannot compile',
    mutations: {
      [SCHEMAS]: (data) => void (data.Thing.properties.name = { type: 'string', maxLenght: 100 }),
    },
    at: `${SCHEMAS}#/Thing`,
    says: /ajv cannot compile schema "Thing": .*maxLenght/,
  },
  {
    given: 'a response example that does not validate',
    mutations: {
      [OPENAPI]: (data) =>
        void (data.paths['/api/v1/admin/things'].post.responses['201'].content[
          'application/json'
        ].examples.created.value = { id: 't1' }),
    },
    at: `${OPENAPI}#${CREATE}/responses/201/content/application~1json/examples/created`,
    says: /example "created" does not validate against its schema: \/ must have required property 'name'/,
  },
  {
    given: 'a parameter example that does not validate',
    mutations: {
      [OPENAPI]: (data) => void (data.paths['/api/v1/site/things'].get.parameters[0].example = 500),
    },
    at: `${OPENAPI}#${LIST}/parameters/0/example`,
    says: /example does not validate against its schema: \/ must be <= 50/,
  },
  {
    given: 'a schema example that does not validate',
    mutations: { [SCHEMAS]: (data) => void (data.Ping.examples = [{ seq: -1 }]) },
    at: `${SCHEMAS}#/Ping/examples/0`,
    says: /example does not validate against its schema: \/seq must be >= 0/,
  },
  {
    given: 'an AsyncAPI message example that does not validate',
    mutations: {
      [ASYNCAPI]: (data) =>
        void (data.components.messages.Ping.examples[0].payload = { seq: 'one' }),
    },
    at: `${ASYNCAPI}#/channels/room/messages/ping/examples/0/payload`,
    says: /example does not validate against its schema: \/seq must be integer/,
  },
  {
    given: 'a WS rate-limit weight that names no array of the payload',
    mutations: {
      [ASYNCAPI]: (data) => void (data.operations.sendPing['x-wsguard'].weightedBy = '/seq'),
    },
    at: `${ASYNCAPI}#/operations/sendPing/x-wsguard/weightedBy`,
    says: /weightedBy \/seq must name an array with maxItems in the payload schema/,
  },
  {
    given: 'a WS rate-limit weight whose array can hold more items than the limit',
    mutations: {
      [SCHEMAS]: (data) =>
        void (data.Ping.properties.items = {
          type: 'array',
          maxItems: 6,
          items: { type: 'integer' },
        }),
      [ASYNCAPI]: (data) => void (data.operations.sendPing['x-wsguard'].weightedBy = '/items'),
    },
    at: `${ASYNCAPI}#/operations/sendPing/x-wsguard/weightedBy`,
    says: /weightedBy \/items allows 6 items, more than the connection limit of 5: such a frame could never pass/,
  },
];

describe('generate: contract errors name the file and the JSON pointer', () => {
  for (const failCase of failCases) {
    it(`when given ${failCase.given}, then generation fails at ${failCase.at}`, async () => {
      const message = await failure(failCase.mutations);
      const line = message.split('\n').find((line) => line.startsWith(`${failCase.at}: `));
      expect(line, message).toBeDefined();
      expect(line).toMatch(failCase.says);
    });
  }
});
