import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';

let t: TestApp;
let admin: SignedIn;
let ipSeq = 0;
/** A fresh client address per submission, so the strict per-IP limit does not interfere. */
const nextIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

const submission = (n: number) => ({
  name: `Visitor ${n}`,
  email: `visitor${n}@example.com`,
  message: `Meals for ${n}, please.`,
});

async function submit(body: object, extra: { headers?: Record<string, string>; ip?: string } = {}) {
  return t.request({
    method: 'POST',
    path: '/api/v1/site/enquiries',
    headers: { origin: ORIGINS.site, ...(extra.headers ?? {}) },
    body,
    ip: extra.ip ?? nextIp(),
  });
}

beforeAll(async () => {
  t = await startTestApp();
  const demo = await t.app.identity.seedDemoUsers();
  admin = await signIn(t, 'admin', demo.admin.email, demo.admin.password);
});
afterAll(async () => {
  await t?.close();
});

describe('site enquiries', () => {
  it('when a visitor submits a valid enquiry, then it is stored as received with an audit entry and an enquiry.received event in the outbox', async () => {
    const res = await submit(submission(1));
    expect(res.status).toBe(201);
    const receipt = res.json();
    expect(receipt).toMatchObject({ status: 'received' });
    const outbox = await t.app.db.query<{ type: string; payload: { enquiryId: string } }>(
      "SELECT type, payload FROM outbox WHERE type = 'enquiry.received'",
    );
    expect(outbox.rows.map((r) => r.payload.enquiryId)).toContain(receipt.id);
    const audit = await t.request({
      path: `/api/v1/admin/enquiries/${receipt.id}/audit`,
      headers: admin.headers(),
    });
    expect(audit.json().items).toEqual([
      expect.objectContaining({ from: null, to: 'received', actorId: null }),
    ]);
  });

  it('when the same e-mail and message are submitted again within ten minutes, then the first enquiry comes back with 200 and no second row', async () => {
    const first = await submit(submission(2));
    const again = await submit({ ...submission(2), email: 'VISITOR2@example.com' });
    expect(again.status).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const rows = await t.app.db.query(
      "SELECT id FROM enquiries WHERE lower(email) = 'visitor2@example.com'",
    );
    expect(rows.rowCount).toBe(1);
  });

  it('when the same submission comes after the window, then it is a new enquiry', async () => {
    const first = await submit(submission(3));
    t.clock.advance(11 * 60_000);
    const later = await submit(submission(3));
    expect(later.status).toBe(201);
    expect(later.json().id).not.toBe(first.json().id);
  });

  it('when ten identical submissions race, then exactly one enquiry is created', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(submission(4))));
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('when an Idempotency-Key is repeated with the same body, then the first response is replayed', async () => {
    const key = 'retry-key-0001';
    const a = await submit(submission(5), { headers: { 'idempotency-key': key } });
    const b = await submit(submission(5), { headers: { 'idempotency-key': key } });
    expect(b.status).toBe(a.status);
    expect(b.json()).toEqual(a.json());
    expect(b.headers['idempotency-replayed']).toBe('true');
  });

  it('when an Idempotency-Key is reused with another body, then it is refused with 422 and nothing is stored', async () => {
    const key = 'retry-key-0002';
    await submit(submission(6), { headers: { 'idempotency-key': key } });
    const before = await t.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    const res = await submit(submission(7), { headers: { 'idempotency-key': key } });
    expect(res.status).toBe(422);
    expect(res.json().code).toBe('REQUEST.IDEMPOTENCY_KEY_REUSED');
    const after = await t.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('when fields are missing or malformed, then a 400 problem points at each field and nothing is stored', async () => {
    const before = await t.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    const res = await submit({ name: '', email: 'not-an-email', phone: 'x' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/body/email', '/body/message', '/body/name', '/body/phone']);
    const after = await t.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('when one address submits more than the per-IP limit, then it is throttled with Retry-After while another address is not', async () => {
    const ip = '10.9.9.9';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await submit(submission(100 + i), { ip })).status);
    expect(statuses.slice(0, 5).every((s) => s === 201)).toBe(true);
    const limited = await submit(submission(200), { ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await submit(submission(201))).status).toBe(201);
  });
});

describe('admin enquiries inbox', () => {
  it('when staff list enquiries with a status filter and a small page, then pages follow the cursor newest first with no gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await submit(submission(300 + i));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `status=received&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.request({
        path: `/api/v1/admin/enquiries?${qs}`,
        headers: admin.headers(),
      });
      expect(res.status).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await t.app.db.query<{ id: string }>(
      "SELECT id FROM enquiries WHERE status = 'received' ORDER BY created_at DESC, id DESC",
    );
    expect(seen).toEqual(all.rows.map((r) => r.id));
  });

  it('when a date range is given, then only enquiries received inside it are listed', async () => {
    const from = new Date(t.clock.nowMs() + 1).toISOString();
    t.clock.advance(60_000);
    const inside = (await submit(submission(400))).json();
    t.clock.advance(60_000);
    const to = t.clock.now().toISOString();
    t.clock.advance(60_000);
    await submit(submission(401));
    const res = await t.request({
      path: `/api/v1/admin/enquiries?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      headers: admin.headers(),
    });
    expect(res.json().items.map((e: { id: string }) => e.id)).toEqual([inside.id]);
  });

  it('when the page size is over 100 or the cursor is forged, then the request is refused with a pointer', async () => {
    const big = await t.request({
      path: '/api/v1/admin/enquiries?limit=1000',
      headers: admin.headers(),
    });
    expect(big.status).toBe(400);
    expect(big.json().errors[0].pointer).toBe('/query/limit');
    const forged = await t.request({
      path: '/api/v1/admin/enquiries?cursor=bm90LWEtY3Vyc29y',
      headers: admin.headers(),
    });
    expect(forged.status).toBe(400);
    expect(forged.json().errors[0].pointer).toBe('/query/cursor');
  });

  it('when staff advance an enquiry received -> contacted -> converted with reasons, then each change is audited with who, when, from, to and why, and published', async () => {
    const { id } = (await submit(submission(500))).json();
    const toContacted = await t.request({
      method: 'POST',
      path: `/api/v1/admin/enquiries/${id}/status`,
      headers: admin.headers(),
      body: { to: 'contacted', reason: 'Phoned, booked a tasting' },
    });
    expect(toContacted.status).toBe(200);
    expect(toContacted.json().status).toBe('contacted');
    const toConverted = await t.request({
      method: 'POST',
      path: `/api/v1/admin/enquiries/${id}/status`,
      headers: admin.headers(),
      body: { to: 'converted', reason: 'Bought a pack' },
    });
    expect(toConverted.json().status).toBe('converted');
    const audit = (
      await t.request({ path: `/api/v1/admin/enquiries/${id}/audit`, headers: admin.headers() })
    ).json().items;
    expect(
      audit.map((a: { from: string | null; to: string; reason: string | null }) => [
        a.from,
        a.to,
        a.reason,
      ]),
    ).toEqual([
      [null, 'received', null],
      ['received', 'contacted', 'Phoned, booked a tasting'],
      ['contacted', 'converted', 'Bought a pack'],
    ]);
    expect(audit[1].actorId).toBe(admin.body.user.id);
    expect(audit[1].actorEmail).toBe(admin.body.user.email);
    const events = await t.app.db.query<{ payload: { enquiryId: string; to: string } }>(
      "SELECT payload FROM outbox WHERE type = 'enquiry.status_changed' ORDER BY position",
    );
    expect(events.rows.filter((e) => e.payload.enquiryId === id).map((e) => e.payload.to)).toEqual([
      'contacted',
      'converted',
    ]);
  });

  it('when a change breaks the status flow, then it is a 409 and nothing changes', async () => {
    const { id } = (await submit(submission(600))).json();
    const res = await t.request({
      method: 'POST',
      path: `/api/v1/admin/enquiries/${id}/status`,
      headers: admin.headers(),
      body: { to: 'converted', reason: 'Skipping ahead' },
    });
    expect(res.status).toBe(409);
    expect(res.json().code).toBe('ENQUIRY.INVALID_TRANSITION');
    const got = (
      await t.request({ path: `/api/v1/admin/enquiries/${id}`, headers: admin.headers() })
    ).json();
    expect(got.status).toBe('received');
    const audit = (
      await t.request({ path: `/api/v1/admin/enquiries/${id}/audit`, headers: admin.headers() })
    ).json().items;
    expect(audit).toHaveLength(1);
  });

  it('when a reason is missing or too short, then it is a 400 pointing at it', async () => {
    const { id } = (await submit(submission(700))).json();
    const res = await t.request({
      method: 'POST',
      path: `/api/v1/admin/enquiries/${id}/status`,
      headers: admin.headers(),
      body: { to: 'contacted', reason: 'ok' },
    });
    expect(res.status).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/body/reason');
  });

  it('when an enquiry does not exist, then get, status and audit are 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect(
      (await t.request({ path: `/api/v1/admin/enquiries/${id}`, headers: admin.headers() })).status,
    ).toBe(404);
    expect(
      (await t.request({ path: `/api/v1/admin/enquiries/${id}/audit`, headers: admin.headers() }))
        .status,
    ).toBe(404);
    const res = await t.request({
      method: 'POST',
      path: `/api/v1/admin/enquiries/${id}/status`,
      headers: admin.headers(),
      body: { to: 'contacted', reason: 'Called them' },
    });
    expect(res.status).toBe(404);
    expect(res.json().code).toBe('ENQUIRY.NOT_FOUND');
  });

  it('when the id is not a UUID, then it is a 400 pointing at the path parameter', async () => {
    const res = await t.request({
      path: '/api/v1/admin/enquiries/not-a-uuid',
      headers: admin.headers(),
    });
    expect(res.status).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/params/enquiryId');
  });
});
