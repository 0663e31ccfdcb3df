/**
 * No client input reaches a 500: fast-check throws random cursors, page sizes, path ids and query
 * values at every read (GET) operation of the contract, signed in with a session that may call it,
 * and every answer must be below 500, every 4xx a problem+json. A new operation in the contract
 * is covered here without writing a test. Requests are raw: the typed client cannot send a value
 * its types refuse, and sending those is the point.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationList, type OperationSpec } from '../../generated/v1/operations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  componentSchema,
  freshIp,
  ORIGINS,
  seedCast,
  sessionSurface,
  type Cast,
} from './support.js';
import { openapi, type ContractNode } from '../support/contract.js';

const reads = operationList.filter((op) => op.method === 'GET');

interface QueryParam {
  name: string;
  schema: ContractNode;
}

/** An operation's declared query parameters with their schemas ($refs resolved), from the bundled contract. */
function queryParams(spec: OperationSpec): QueryParam[] {
  const op = openapi.paths[spec.path]?.get;
  const resolve = (item: ContractNode | undefined, kind: 'parameters' | 'schemas') =>
    item?.$ref ? openapi.components[kind][String(item.$ref).split('/').pop()!] : item;
  return (op?.parameters ?? [])
    .map((part) => resolve(part, 'parameters'))
    .filter((part): part is ContractNode => part?.in === 'query')
    .map((part) => ({ name: String(part.name), schema: resolve(part.schema, 'schemas') ?? {} }));
}
const queryNames = (spec: OperationSpec) => queryParams(spec).map((queryParam) => queryParam.name);

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const DASHES = '-'.repeat(36);
const UUID = '6f1c2a8e-3b4d-4c5e-9f60-7a8b9c0d1e2f';

/** Timestamps a forger might put in a cursor: nonsense, bare numbers, out-of-range and odd ISO forms. */
const timestamp = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '-1',
    '2026',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '0000-01-01T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    'Tue, 01 Jan 2030 00:00:00 GMT',
    '2026-11-27T10:15:00.123456789Z',
    'infinity',
    '-infinity',
    'epoch',
    'now',
    '',
  ),
  fc.date({ noInvalidDate: true }).map((data) => data.toISOString()),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
);
/** Ids a forger might put in a cursor or a path: dashes, near-UUIDs, real UUIDs, anything. */
const id = fc.oneof(
  fc.constantFrom(
    DASHES,
    UUID,
    UUID.toUpperCase(),
    `{${UUID}}`,
    `urn:uuid:${UUID}`,
    UUID.replace(/-/g, ''),
    '',
  ),
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f-]{36}$/),
  fc.string({ maxLength: 60 }),
);
/** Cursors: forged positions in the encoder's own shape, other JSON, and bytes that are not base64url JSON. */
const cursor = fc.oneof(
  fc.tuple(timestamp, id).map(([text, index]) => b64(JSON.stringify([text, index]))),
  fc.tuple(timestamp, id, fc.jsonValue()).map((xs) => b64(JSON.stringify(xs))),
  fc.record({ createdAt: timestamp, id }).map((option) => b64(JSON.stringify(option))),
  fc.jsonValue().map((value) => b64(JSON.stringify(value))),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,600}$/),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', '-0', '1e3', 'NaN', '9007199254740993', '99999999999999999999', 'true'),
  fc.date({ noInvalidDate: true }).map((data) => data.toISOString()),
  timestamp,
);
const pathId = fc.oneof(
  id.map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2F', '%00'),
);

const pad = (count: number, width = 2) => String(count).padStart(width, '0');
/** RFC 3339 instants the contract's `date-time` accepts, over its whole range: year 0000 and 9999, odd offsets. */
const rfc3339 = fc
  .record({
    year: fc.oneof(fc.constantFrom(0, 1, 1969, 1970, 9999), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    fraction: fc.constantFrom('', '.000', '.5', '.123456789'),
    offset: fc.oneof(
      fc.constantFrom('Z', '+00:00', '-00:00', '+14:00', '-23:59', '+23:59'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map(([sign, amount, minutes]) => `${sign}${pad(amount)}:${pad(minutes)}`),
    ),
  })
  .map(
    (data) =>
      `${pad(data.year, 4)}-${pad(data.month)}-${pad(data.day)}T${pad(data.hour)}:${pad(data.minute)}:00${data.fraction}${data.offset}`,
  );

/** Values for one query parameter: ones its schema accepts (they reach the server's own code) and anything. */
function valueFor(param: QueryParam): fc.Arbitrary<string> {
  const { schema } = param;
  if (param.name === 'cursor') return cursor;
  if (schema.format === 'date-time') return fc.oneof(rfc3339, queryValue);
  if (Array.isArray(schema.enum))
    return fc.oneof(fc.constantFrom(...schema.enum.map(String)), queryValue);
  if (schema.type === 'integer') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -(2 ** 31);
    const max = typeof schema.maximum === 'number' ? schema.maximum : 2 ** 31 - 1;
    return fc.oneof(
      fc.integer({ min, max }).map(String),
      fc.constantFrom(min, max, min - 1, max + 1).map(String),
      queryValue,
    );
  }
  return queryValue;
}

type Input = {
  query: Record<string, string | undefined>;
  extra: [string, string][];
  params: string[];
};

/** One request's worth of input for an operation: every declared query parameter maybe set, plus strangers. */
function inputs(spec: OperationSpec): fc.Arbitrary<Input> {
  const named = Object.fromEntries(
    queryParams(spec).map((queryParam) => [
      queryParam.name,
      fc.option(valueFor(queryParam), { nil: undefined }),
    ]),
  );
  return fc.record({
    query: fc.record(named),
    extra: fc.array(fc.tuple(fc.string({ maxLength: 12 }), queryValue), { maxLength: 2 }),
    params: fc.array(pathId, {
      minLength: spec.pathParams.length,
      maxLength: spec.pathParams.length,
    }),
  });
}

let testApp: TestApp;
let cast: Cast;
beforeAll(async () => {
  testApp = await startTestApp();
  cast = await seedCast(testApp);
});
afterAll(async () => {
  await testApp?.close();
});

function headersFor(spec: OperationSpec): Record<string, string> {
  const surface = sessionSurface(spec);
  if (surface === 'client') return cast.client.headers();
  if (surface === 'admin') return cast.admin.headers();
  return { origin: ORIGINS.site };
}

function pathOf(spec: OperationSpec, params: string[]): string {
  let index = 0;
  return spec.path.replace(/\{[^}]+\}/g, () => params[index++] ?? UUID);
}

function queryOf(query: Record<string, string | undefined>, extra: [string, string][]): string {
  const uRLSearchParams = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) uRLSearchParams.append(key, value);
  for (const [key, value] of extra) uRLSearchParams.append(key, value);
  const text = uRLSearchParams.toString();
  return text ? `?${text}` : '';
}

describe('the contract has list operations to attack', () => {
  it('when the read operations are listed, then some page with a cursor and some take a path id', () => {
    expect(reads.filter((op) => queryNames(op).includes('cursor')).length).toBeGreaterThan(3);
    expect(reads.some((op) => op.pathParams.length > 0)).toBe(true);
    expect(componentSchema('Problem')).toBeDefined();
  });
});

describe.each(reads.map((op) => [op.operationId, op] as const))('%s', (_id, spec) => {
  it('when random cursors, limits, ids and query values are sent, then every answer is below 500 and every 4xx is a problem', async () => {
    // The inputs that answered 500 once always run: a cursor whose timestamp is "1" or whose id
    // is 36 dashes, and an instant in the year 0000 (valid RFC 3339, refused by Postgres).
    const params = spec.pathParams.map(() => UUID);
    const examples = queryParams(spec).flatMap((queryParam) =>
      queryParam.name === 'cursor'
        ? [
            { [queryParam.name]: b64(JSON.stringify(['1', UUID])) },
            { [queryParam.name]: b64(JSON.stringify([new Date().toISOString(), DASHES])) },
          ]
        : queryParam.schema.format === 'date-time'
          ? [{ [queryParam.name]: '0000-01-01T00:00:00Z' }]
          : [],
    );
    await fc.assert(
      fc.asyncProperty(inputs(spec), async ({ query, extra, params }) => {
        const path = pathOf(spec, params) + queryOf(query, extra);
        const res = await testApp.request({
          method: 'GET',
          path,
          headers: headersFor(spec),
          ip: freshIp(),
        });
        expect(res.status, `${path} -> ${res.status} ${res.text}`).toBeLessThan(500);
        if (res.status >= 400)
          expect(String(res.headers['content-type']), path).toMatch(/^application\/problem\+json/);
      }),
      {
        numRuns: 20,
        examples: examples.map((query) => [{ query, extra: [], params }] as [Input]),
      },
    );
  });
});
