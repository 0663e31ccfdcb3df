/** Idempotency-Key on site enquiries: a retry gets the first answer; a reused key with another body is refused. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectProblem, freshIp, ORIGINS } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const ENQUIRY = '/api/v1/site/enquiries';
const enquiry = () => ({
  name: 'Ada',
  email: `ada-${randomUUID().slice(0, 8)}@example.com`,
  message: `Hello ${randomUUID()}`,
});
const submit = (body: object, key?: string) =>
  t.request({
    method: 'POST',
    path: ENQUIRY,
    headers: { origin: ORIGINS.site, ...(key ? { 'idempotency-key': key } : {}) },
    body,
    ip: freshIp(),
  });
const countByEmail = async (email: string) =>
  (
    await t.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM enquiries WHERE email = $1',
      [email],
    )
  ).rows[0]!.n;

describe('Idempotency-Key on POST /api/v1/site/enquiries', () => {
  it('when the same key comes with the same body, then the same enquiry id comes back and there is one row', async () => {
    const key = randomUUID();
    const body = enquiry();
    const first = await submit(body, key);
    expect(first.status, first.text).toBe(201);
    const second = await submit(body, key);
    expect(second.status).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotency-replayed']).toBe('true');
    expect(await countByEmail(body.email)).toBe(1);
    const { rows } = await t.app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE type = 'enquiry.received' AND payload->>'enquiryId' = $1",
      [first.json().id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('when the same key comes with another body, then 422 REQUEST.IDEMPOTENCY_KEY_REUSED and nothing is stored', async () => {
    const key = randomUUID();
    const first = await submit(enquiry(), key);
    expect(first.status).toBe(201);
    const other = enquiry();
    const res = await submit(other, key);
    expectProblem(res, 422, 'REQUEST.IDEMPOTENCY_KEY_REUSED');
    expect(await countByEmail(other.email)).toBe(0);
  });

  it('when different keys come with different bodies, then two enquiries are stored', async () => {
    const a = await submit(enquiry(), randomUUID());
    const b = await submit(enquiry(), randomUUID());
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.json().id).not.toBe(b.json().id);
  });

  it('when a malformed key is sent, then 400 pointing at the header', async () => {
    const res = await submit(enquiry(), 'x y');
    const body = expectProblem(res, 400, 'REQUEST.VALIDATION_FAILED');
    expect(body.errors[0].pointer).toMatch(/^\/headers\/idempotency-key/);
  });

  it('when a failed request (400) used a key, then the key is not burnt: the corrected body under a new key works and the old key is free', async () => {
    const key = randomUUID();
    const bad = await submit({ name: 'Ada' }, key);
    expect(bad.status).toBe(400);
    const good = await submit(enquiry(), key);
    expect(good.status, good.text).toBe(201);
  });
});
