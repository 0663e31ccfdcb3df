import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/v1/types.js';
import { ORIGINS, signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';

let testApp: TestApp;
let admin: SignedIn;
let ipSeq = 0;
/** A fresh client address per submission, so the strict per-IP limit does not interfere. */
const nextIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

const submission = (count: number) => ({
  name: `Visitor ${count}`,
  email: `visitor${count}@example.com`,
  message: `Meals for ${count}, please.`,
});

function submit(
  body: components['schemas']['EnquirySubmission'],
  extra: { idempotencyKey?: string; ip?: string } = {},
) {
  const key = extra.idempotencyKey;
  return testApp
    .api({ origin: ORIGINS.site }, { ip: extra.ip ?? nextIp() })
    .POST('/api/v1/site/enquiries', {
      body,
      ...(key ? { params: { header: { 'Idempotency-Key': key } } } : {}),
    });
}

const audit = (enquiryId: string) =>
  admin.api.GET('/api/v1/admin/enquiries/{enquiryId}/audit', {
    params: { path: { enquiryId } },
  });

const advance = (enquiryId: string, body: components['schemas']['AdvanceEnquiryStatusRequest']) =>
  admin.api.POST('/api/v1/admin/enquiries/{enquiryId}/status', {
    params: { path: { enquiryId } },
    body,
  });

beforeAll(async () => {
  testApp = await startTestApp();
  const demo = await testApp.app.identity.seedDemoUsers();
  admin = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password);
});
afterAll(async () => {
  await testApp?.close();
});

describe('site enquiries', () => {
  it('when a visitor submits a valid enquiry, then it is stored as received with an audit entry and an enquiry.received event in the outbox', async () => {
    const res = await submit(submission(1));
    expect(res.response.status).toBe(201);
    const receipt = res.data!;
    expect(receipt).toMatchObject({ status: 'received' });
    const outbox = await testApp.app.db.query<{ type: string; payload: { enquiryId: string } }>(
      "SELECT type, payload FROM outbox WHERE type = 'enquiry.received'",
    );
    expect(outbox.rows.map((row) => row.payload.enquiryId)).toContain(receipt.id);
    expect((await audit(receipt.id)).data!.items).toEqual([
      expect.objectContaining({ from: null, to: 'received', actorId: null }),
    ]);
  });

  it('when the same e-mail and message are submitted again within ten minutes, then the first enquiry comes back with 200 and no second row', async () => {
    const first = await submit(submission(2));
    const again = await submit({ ...submission(2), email: 'VISITOR2@example.com' });
    expect(again.response.status).toBe(200);
    expect(again.data!.id).toBe(first.data!.id);
    const rows = await testApp.app.db.query(
      "SELECT id FROM enquiries WHERE lower(email) = 'visitor2@example.com'",
    );
    expect(rows.rowCount).toBe(1);
  });

  it('when the same submission comes after the window, then it is a new enquiry', async () => {
    const first = await submit(submission(3));
    testApp.clock.advance(11 * 60_000);
    const later = await submit(submission(3));
    expect(later.response.status).toBe(201);
    expect(later.data!.id).not.toBe(first.data!.id);
  });

  it('when ten identical submissions race, then exactly one enquiry is created', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => submit(submission(4))));
    expect(new Set(results.map((result) => result.data!.id)).size).toBe(1);
    expect(results.filter((result) => result.response.status === 201)).toHaveLength(1);
  });

  it('when an Idempotency-Key is repeated with the same body, then the first response is replayed', async () => {
    const key = 'retry-key-0001';
    const left = await submit(submission(5), { idempotencyKey: key });
    const right = await submit(submission(5), { idempotencyKey: key });
    expect(left.response.status).toBe(201);
    expect(right.response.status).toBe(left.response.status);
    expect(right.data).toEqual(left.data);
    expect(right.response.headers.get('idempotency-replayed')).toBe('true');
  });

  it('when an Idempotency-Key is reused with another body, then it is refused with 422 and nothing is stored', async () => {
    const key = 'retry-key-0002';
    await submit(submission(6), { idempotencyKey: key });
    const before = await testApp.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    const res = await submit(submission(7), { idempotencyKey: key });
    expect(res.response.status).toBe(422);
    expect(res.error?.code).toBe('REQUEST.IDEMPOTENCY_KEY_REUSED');
    const after = await testApp.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('when fields are missing or malformed, then a 400 problem points at each field and nothing is stored', async () => {
    const before = await testApp.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    // Raw: a body without a message is a shape the typed client will not build.
    const res = await testApp.request({
      method: 'POST',
      path: '/api/v1/site/enquiries',
      headers: { origin: ORIGINS.site },
      body: { name: '', email: 'not-an-email', phone: 'x' },
      ip: nextIp(),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    const pointers = res
      .json<{ errors: { pointer: string }[] }>()
      .errors.map((error) => error.pointer)
      .sort();
    expect(pointers).toEqual(['/body/email', '/body/message', '/body/name', '/body/phone']);
    const after = await testApp.app.db.query('SELECT count(*)::int AS n FROM enquiries');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('when one address submits more than the per-IP limit, then it is throttled with Retry-After while another address is not', async () => {
    const ip = '10.9.9.9';
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++)
      statuses.push((await submit(submission(100 + index), { ip })).response.status);
    expect(statuses.slice(0, 5).every((statuse) => statuse === 201)).toBe(true);
    const limited = await submit(submission(200), { ip });
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await submit(submission(201))).response.status).toBe(201);
  });
});

describe('admin enquiries inbox', () => {
  it('when staff list enquiries with a status filter and a small page, then pages follow the cursor newest first with no gaps or repeats', async () => {
    for (let index = 0; index < 5; index++) {
      testApp.clock.advance(1000);
      await submit(submission(300 + index));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin.api.GET('/api/v1/admin/enquiries', {
        params: { query: { status: 'received', limit: 2, ...(cursor ? { cursor } : {}) } },
      });
      expect(res.response.status).toBe(200);
      const page: components['schemas']['EnquiryPage'] = res.data!;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await testApp.app.db.query<{ id: string }>(
      "SELECT id FROM enquiries WHERE status = 'received' ORDER BY created_at DESC, id DESC",
    );
    expect(seen).toEqual(all.rows.map((row) => row.id));
  });

  it('when a date range is given, then only enquiries received inside it are listed', async () => {
    const from = new Date(testApp.clock.nowMs() + 1).toISOString();
    testApp.clock.advance(60_000);
    const inside = (await submit(submission(400))).data!;
    testApp.clock.advance(60_000);
    const to = testApp.clock.now().toISOString();
    testApp.clock.advance(60_000);
    await submit(submission(401));
    const res = await admin.api.GET('/api/v1/admin/enquiries', {
      params: { query: { from, to } },
    });
    expect(res.data!.items.map((item) => item.id)).toEqual([inside.id]);
  });

  it('when the page size is over 100 or the cursor is forged, then the request is refused with a pointer', async () => {
    const big = await admin.api.GET('/api/v1/admin/enquiries', {
      params: { query: { limit: 1000 } },
    });
    expect(big.response.status).toBe(400);
    expect(big.error?.errors?.[0]?.pointer).toBe('/query/limit');
    const forged = await admin.api.GET('/api/v1/admin/enquiries', {
      params: { query: { cursor: 'bm90LWEtY3Vyc29y' } },
    });
    expect(forged.response.status).toBe(400);
    expect(forged.error?.errors?.[0]?.pointer).toBe('/query/cursor');
  });

  it('when staff advance an enquiry received -> contacted -> converted with reasons, then each change is audited with who, when, from, to and why, and published', async () => {
    const { id } = (await submit(submission(500))).data!;
    const toContacted = await advance(id, { to: 'contacted', reason: 'Phoned, booked a tasting' });
    expect(toContacted.response.status).toBe(200);
    expect(toContacted.data!.status).toBe('contacted');
    const toConverted = await advance(id, { to: 'converted', reason: 'Bought a pack' });
    expect(toConverted.data!.status).toBe('converted');
    const trail = (await audit(id)).data!.items;
    expect(trail.map((first) => [first.from, first.to, first.reason])).toEqual([
      [null, 'received', null],
      ['received', 'contacted', 'Phoned, booked a tasting'],
      ['contacted', 'converted', 'Bought a pack'],
    ]);
    expect(trail[1]!.actorId).toBe(admin.body.user.id);
    expect(trail[1]!.actorEmail).toBe(admin.body.user.email);
    const events = await testApp.app.db.query<{ payload: { enquiryId: string; to: string } }>(
      "SELECT payload FROM outbox WHERE type = 'enquiry.status_changed' ORDER BY position",
    );
    expect(
      events.rows.filter((row) => row.payload.enquiryId === id).map((row) => row.payload.to),
    ).toEqual(['contacted', 'converted']);
  });

  it('when a change breaks the status flow, then it is a 409 and nothing changes', async () => {
    const { id } = (await submit(submission(600))).data!;
    const res = await advance(id, { to: 'converted', reason: 'Skipping ahead' });
    expect(res.response.status).toBe(409);
    expect(res.error?.code).toBe('ENQUIRY.INVALID_TRANSITION');
    const got = (
      await admin.api.GET('/api/v1/admin/enquiries/{enquiryId}', {
        params: { path: { enquiryId: id } },
      })
    ).data!;
    expect(got.status).toBe('received');
    expect((await audit(id)).data!.items).toHaveLength(1);
  });

  it('when a reason is missing or too short, then it is a 400 pointing at it', async () => {
    const { id } = (await submit(submission(700))).data!;
    const res = await advance(id, { to: 'contacted', reason: 'ok' });
    expect(res.response.status).toBe(400);
    expect(res.error?.errors?.[0]?.pointer).toBe('/body/reason');
  });

  it('when an enquiry does not exist, then get, status and audit are 404', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect(
      (
        await admin.api.GET('/api/v1/admin/enquiries/{enquiryId}', {
          params: { path: { enquiryId: id } },
        })
      ).response.status,
    ).toBe(404);
    expect((await audit(id)).response.status).toBe(404);
    const res = await advance(id, { to: 'contacted', reason: 'Called them' });
    expect(res.response.status).toBe(404);
    expect(res.error?.code).toBe('ENQUIRY.NOT_FOUND');
  });

  it('when the id is not a UUID, then it is a 400 pointing at the path parameter', async () => {
    const res = await admin.api.GET('/api/v1/admin/enquiries/{enquiryId}', {
      params: { path: { enquiryId: 'not-a-uuid' } },
    });
    expect(res.response.status).toBe(400);
    expect(res.error?.errors?.[0]?.pointer).toBe('/params/enquiryId');
  });
});
