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
import { readFileSync } from 'node:fs';

const openapi = JSON.parse(
  readFileSync(new URL('../../generated/v1/openapi.json', import.meta.url), 'utf8'),
) as any;

const reads = operationList.filter((op) => op.method === 'GET');

/** The names of an operation's declared query parameters, from the bundled contract. */
function queryNames(spec: OperationSpec): string[] {
  const op = openapi.paths[spec.path]?.get;
  return ((op?.parameters ?? []) as any[])
    .map((p) => (p.$ref ? openapi.components.parameters[String(p.$ref).split('/').pop()!] : p))
    .filter((p) => p?.in === 'query')
    .map((p) => String(p.name));
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
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
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
);
/** Ids a forger might put in a cursor or a path: dashes, near-UUIDs, real UUIDs, anything. */
const id = fc.oneof(
  fc.constantFrom(DASHES, UUID, UUID.toUpperCase(), `{${UUID}}`, UUID.replace(/-/g, ''), ''),
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f-]{36}$/),
  fc.string({ maxLength: 60 }),
);
/** Cursors: forged positions in the encoder's own shape, other JSON, and bytes that are not base64url JSON. */
const cursor = fc.oneof(
  fc.tuple(timestamp, id).map(([t, i]) => b64(JSON.stringify([t, i]))),
  fc.tuple(timestamp, id, fc.jsonValue()).map((xs) => b64(JSON.stringify(xs))),
  fc.record({ createdAt: timestamp, id }).map((o) => b64(JSON.stringify(o))),
  fc.jsonValue().map((v) => b64(JSON.stringify(v))),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,600}$/),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', '-0', '1e3', 'NaN', '9007199254740993', '99999999999999999999', 'true'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  timestamp,
);
const pathId = fc.oneof(
  id.map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2F', '%00'),
);

/** One request's worth of input for an operation: every declared query name maybe set, plus strangers. */
function inputs(spec: OperationSpec) {
  const named = Object.fromEntries(
    queryNames(spec).map((name) => [
      name,
      name === 'cursor'
        ? fc.option(cursor, { nil: undefined })
        : fc.option(queryValue, { nil: undefined }),
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

let t: TestApp;
let cast: Cast;
beforeAll(async () => {
  t = await startTestApp();
  cast = await seedCast(t);
});
afterAll(async () => {
  await t?.close();
});

function headersFor(spec: OperationSpec): Record<string, string> {
  const surface = sessionSurface(spec);
  if (surface === 'client') return cast.client.headers();
  if (surface === 'admin') return cast.admin.headers();
  return { origin: ORIGINS.site };
}

function pathOf(spec: OperationSpec, params: string[]): string {
  let i = 0;
  return spec.path.replace(/\{[^}]+\}/g, () => params[i++] ?? UUID);
}

function queryOf(query: Record<string, string | undefined>, extra: [string, string][]): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.append(k, v);
  for (const [k, v] of extra) q.append(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
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
    const hasCursor = queryNames(spec).includes('cursor');
    const examples: [{ query: Record<string, string>; extra: []; params: string[] }][] = hasCursor
      ? [
          [{ query: { cursor: b64(JSON.stringify(['1', UUID])) }, extra: [], params: [] }],
          [
            {
              query: { cursor: b64(JSON.stringify([new Date().toISOString(), DASHES])) },
              extra: [],
              params: [],
            },
          ],
        ]
      : [];
    await fc.assert(
      fc.asyncProperty(inputs(spec), async ({ query, extra, params }) => {
        const path = pathOf(spec, params) + queryOf(query, extra);
        const res = await t.request({
          method: 'GET',
          path,
          headers: headersFor(spec),
          ip: freshIp(),
        });
        expect(res.status, `${path} -> ${res.status} ${res.text}`).toBeLessThan(500);
        if (res.status >= 400)
          expect(String(res.headers['content-type']), path).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 25, examples },
    );
  });
});
