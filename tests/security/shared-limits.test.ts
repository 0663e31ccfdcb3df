/**
 * Limits shared by everyone cannot be used up by one client: the per-client limits are checked
 * first, and only requests that pass them count against a shared one. Clients here are real peer
 * addresses (127.0.0.2, 127.0.0.3, …): no X-Forwarded-For, since the test app trusts only 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGINS, startTestApp, type TestApp } from '../support/app.js';
import { clientAt, type ClientAt } from '../support/local-fetch.js';

const WEBHOOK_SECRET = 'whsec_shared_limits_suite';
// Past the shared limits these floods used to exhaust: 600 enquiries a minute, 3,000 webhook calls.
const ENQUIRY_FLOOD = 601;
const WEBHOOK_FLOOD_PER_ADDRESS = 1_200;

let testApp: TestApp;
const clients: ClientAt[] = [];
const at = (address: string, headers: Record<string, string> = {}) => {
  const item = clientAt(testApp.baseUrl, address, headers);
  clients.push(item);
  return item.api;
};

beforeAll(async () => {
  testApp = await startTestApp({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await testApp?.close();
});

/** Runs `send` `n` times, `width` at a time; the statuses it answered, counted. */
async function flood(
  count: number,
  send: () => Promise<number>,
  width = 32,
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (let done = 0; done < count; done += width) {
    const batch = await Promise.all(Array.from({ length: Math.min(width, count - done) }, send));
    for (const seconds of batch) statuses.set(seconds, (statuses.get(seconds) ?? 0) + 1);
  }
  return statuses;
}

const enquiry = () => ({
  name: 'Ada',
  email: `ada-${randomUUID().slice(0, 8)}@example.com`,
  message: `Hello ${randomUUID()}`,
});

describe('the enquiry form', () => {
  it('when 127.0.0.2 floods the enquiry form past the global limit, then it is refused by its own limit and 127.0.0.3 is still served', async () => {
    const attacker = at('127.0.0.2', { Origin: ORIGINS.site });
    const statuses = await flood(
      ENQUIRY_FLOOD,
      async () =>
        (await attacker.POST('/api/v1/site/enquiries', { body: enquiry() })).response.status,
    );
    expect(statuses.get(429)).toBeGreaterThan(ENQUIRY_FLOOD - 10);

    const visitor = at('127.0.0.3', { Origin: ORIGINS.site });
    const { response, error } = await visitor.POST('/api/v1/site/enquiries', { body: enquiry() });
    expect(response.status, JSON.stringify(error)).toBe(201);
  });
});

describe('the Stripe webhook', () => {
  const junk = (api: ClientAt['api']) => async () =>
    (
      await api.POST('/webhooks/stripe/billing', {
        body: { id: `evt_junk_${randomUUID()}`, type: 'customer.created' },
        params: { header: { 'Stripe-Signature': 't=1,v1=00' } },
      })
    ).response.status;

  it('when several addresses flood the webhook with unsigned junk, then each is refused by its own limit and Stripe (127.0.0.3) is still served', async () => {
    for (const address of ['127.0.0.2', '127.0.0.4', '127.0.0.5']) {
      const statuses = await flood(WEBHOOK_FLOOD_PER_ADDRESS + 10, junk(at(address)));
      // Refused by the signature until its own limit, then by the limit: never served.
      expect([...statuses.keys()].sort()).toEqual([400, 429]);
    }

    const event = {
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'customer.created',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: 'cus_1', object: 'customer' } },
    };
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: JSON.stringify(event),
      secret: WEBHOOK_SECRET,
    });
    const stripe = at('127.0.0.3');
    const { response, data, error } = await stripe.POST('/webhooks/stripe/billing', {
      body: event,
      params: { header: { 'Stripe-Signature': signature } },
    });
    expect(response.status, JSON.stringify(error)).toBe(200);
    expect(data).toEqual({ received: true, duplicate: false });
  });
});
