/**
 * Rate-limit headers (IETF draft-ietf-httpapi-ratelimit-headers): every operation's responses carry
 * `RateLimit-Policy` (its limits from the contract) and `RateLimit` (what is left of the caller's
 * own quota), 429s included, and the contract declares both on every response they can be on.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationList, operations, type OperationSpec } from '../../generated/v1/operations.js';
import { ORIGINS, startTestApp, type TestApp } from '../support/app.js';
import { clientAt } from '../support/local-fetch.js';
import { callOperation, freshIp } from './support.js';
import { openapi, type ContractNode } from '../support/contract.js';

/** Answered from the request's shape alone, before any limit is counted. */
const BEFORE_THE_LIMITS = new Set(['413', '415']);

/** The `RateLimit-Policy` the contract's limits of an operation make: a structured-field list. */
function expectedPolicy(spec: OperationSpec): string {
  const rl = spec.guard.rateLimit;
  return (['ip', 'actor', 'global'] as const)
    .filter((key) => rl[key])
    .map((key) => `"${key}";q=${rl[key]!.limit};w=${rl[key]!.windowSeconds}`)
    .join(', ');
}

/** `RateLimit` items, by policy name: remaining quota `r` and seconds `t` until more is made available. */
function quota(header: string | null | undefined): Record<string, { r: number; t: number }> {
  const out: Record<string, { r: number; t: number }> = {};
  for (const item of String(header ?? '').split(/\s*,\s*/)) {
    const match = /^"([a-z]+)";r=(\d+);t=(\d+)$/.exec(item);
    if (match) out[match[1]!] = { r: Number(match[2]), t: Number(match[3]) };
  }
  return out;
}

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

describe('on the wire', () => {
  it('when a client sends enquiries, then RateLimit-Policy states the contract limits, RateLimit counts its own quota down, and the 429 has r=0 with t equal to Retry-After', async () => {
    const visitor = clientAt(testApp.baseUrl, '127.0.0.6', { Origin: ORIGINS.site });
    const rule = operations.submitEnquiry.guard.rateLimit.ip!;
    try {
      const left: number[] = [];
      for (let index = 0; index < rule.limit; index++) {
        const { response } = await visitor.api.POST('/api/v1/site/enquiries', {
          body: {
            name: 'Ada',
            email: `ada-${index}@example.com`,
            message: `Hello number ${index} ${randomUUID()}`,
          },
        });
        expect(response.status).toBe(201);
        expect(response.headers.get('ratelimit-policy')).toBe(
          expectedPolicy(operations.submitEnquiry),
        );
        const query = quota(response.headers.get('ratelimit'));
        expect(Object.keys(query)).toEqual(['ip']);
        expect(query['ip']!.t).toBeGreaterThanOrEqual(1);
        expect(query['ip']!.t).toBeLessThanOrEqual(rule.windowSeconds);
        left.push(query['ip']!.r);
      }
      expect(left).toEqual(
        Array.from({ length: rule.limit }, (_, index) => rule.limit - 1 - index),
      );

      const { response, error } = await visitor.api.POST('/api/v1/site/enquiries', {
        body: { name: 'Ada', email: 'ada-x@example.com', message: `One too many ${randomUUID()}` },
      });
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBe(retryAfter);
      expect(response.headers.get('ratelimit-policy')).toBe(
        expectedPolicy(operations.submitEnquiry),
      );
      expect(quota(response.headers.get('ratelimit'))).toEqual({ ip: { r: 0, t: retryAfter } });
    } finally {
      visitor.close();
    }
  });

  it('when a browser on an allowed origin reads the response, then CORS exposes both headers', async () => {
    const res = await testApp
      .api({ origin: ORIGINS.site }, { ip: freshIp() })
      .GET('/api/v1/site/catalogue');
    const exposed = String(res.response.headers.get('access-control-expose-headers'))
      .split(/\s*,\s*/)
      .map((header) => header.toLowerCase());
    expect(exposed).toEqual(
      expect.arrayContaining(['ratelimit', 'ratelimit-policy', 'retry-after']),
    );
  });

  it.each(operationList.map((op) => [op.operationId, op] as const))(
    'when %s is called (without a session), then its answer carries its own RateLimit-Policy and a RateLimit for the address',
    async (_id, op) => {
      const surface =
        op.surface === 'client' || op.surface === 'admin' || op.surface === 'site'
          ? op.surface
          : null;
      // Raw: the path comes from the operation table (see callOperation).
      const res = await callOperation(testApp, op, {
        headers: surface ? { origin: ORIGINS[surface] } : {},
        ip: freshIp(),
      });
      expect(res.headers['ratelimit-policy'], `${res.status} ${res.text}`).toBe(expectedPolicy(op));
      const query = quota(res.headers['ratelimit'] as string | undefined);
      expect(query['ip'], String(res.headers['ratelimit'])).toEqual({
        r: op.guard.rateLimit.ip!.limit - 1,
        t: expect.any(Number),
      });
    },
  );
});

describe('in the contract', () => {
  const ref = (result: ContractNode): ContractNode | undefined =>
    result?.$ref ? openapi.components.responses[String(result.$ref).split('/').pop()!] : result;

  it('when the header components are read, then RateLimit-Policy and RateLimit are declared once, as strings', () => {
    for (const name of ['RateLimit-Policy', 'RateLimit']) {
      expect(openapi.components.headers[name]?.schema).toMatchObject({
        type: 'string',
        maxLength: expect.any(Number),
      });
    }
  });

  it.each(operationList.map((op) => [op.operationId, op] as const))(
    'when the responses of %s are read, then each one the limits apply to references both headers',
    (_id, op) => {
      const responses = openapi.paths[op.path]![op.method.toLowerCase()]!.responses ?? {};
      for (const [status, value] of Object.entries(responses)) {
        if (BEFORE_THE_LIMITS.has(status)) continue;
        const headers = ref(value)!.headers ?? {};
        expect(headers['RateLimit-Policy'], `${status}`).toEqual({
          $ref: '#/components/headers/RateLimit-Policy',
        });
        expect(headers['RateLimit'], `${status}`).toEqual({
          $ref: '#/components/headers/RateLimit',
        });
      }
    },
  );
});
