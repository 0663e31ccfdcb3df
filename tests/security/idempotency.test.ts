/** Idempotency-Key on site enquiries: a retry gets the first answer; a reused key with another body is refused. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, freshIp, ORIGINS } from './support.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await startTestApp();
});
afterAll(async () => {
  await testApp?.close();
});

const enquiry = () => ({
  name: 'Ada',
  email: `ada-${randomUUID().slice(0, 8)}@example.com`,
  message: `Hello ${randomUUID()}`,
});
const submit = (body: ReturnType<typeof enquiry>, key?: string) =>
  testApp.api({ origin: ORIGINS.site }, { ip: freshIp() }).POST('/api/v1/site/enquiries', {
    body,
    ...(key ? { params: { header: { 'Idempotency-Key': key } } } : {}),
  });
const countByEmail = async (email: string) =>
  (
    await testApp.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM enquiries WHERE email = $1',
      [email],
    )
  ).rows[0]!.n;

describe('Idempotency-Key on POST /api/v1/site/enquiries', () => {
  it('when the same key comes with the same body, then the same enquiry id comes back and there is one row', async () => {
    const key = randomUUID();
    const body = enquiry();
    const first = await submit(body, key);
    expect(first.response.status, JSON.stringify(first.error)).toBe(201);
    const second = await submit(body, key);
    expect(second.response.status).toBe(201);
    expect(second.data!.id).toBe(first.data!.id);
    expect(second.response.headers.get('idempotency-replayed')).toBe('true');
    expect(await countByEmail(body.email)).toBe(1);
    const { rows } = await testApp.app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'enquiry.received' AND payload->>'enquiryId' = $1",
      [first.data!.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('when the same key comes with another body, then 422 REQUEST.IDEMPOTENCY_KEY_REUSED and nothing is stored', async () => {
    const key = randomUUID();
    const first = await submit(enquiry(), key);
    expect(first.response.status).toBe(201);
    const other = enquiry();
    const res = await submit(other, key);
    expectProblem(res, 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
    expect(await countByEmail(other.email)).toBe(0);
  });

  it('when different keys come with different bodies, then two enquiries are stored', async () => {
    const left = await submit(enquiry(), randomUUID());
    const right = await submit(enquiry(), randomUUID());
    expect(left.response.status).toBe(201);
    expect(right.response.status).toBe(201);
    expect(left.data!.id).not.toBe(right.data!.id);
  });

  it('when a malformed key is sent, then 400 pointing at the header', async () => {
    const res = await submit(enquiry(), 'x y');
    const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
    expect(body.errors![0]!.pointer).toMatch(/^\/headers\/idempotency-key/);
  });

  it('when a failed request (400) used a key, then the key is not burnt: the corrected body under a new key works and the old key is free', async () => {
    const key = randomUUID();
    // Raw: a body with only a name is a shape the typed client will not build.
    const bad = await testApp.request({
      method: 'POST',
      path: '/api/v1/site/enquiries',
      headers: { origin: ORIGINS.site, 'idempotency-key': key },
      body: { name: 'Ada' },
      ip: freshIp(),
    });
    expect(bad.status).toBe(400);
    const good = await submit(enquiry(), key);
    expect(good.response.status, JSON.stringify(good.error)).toBe(201);
  });
});
