import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';

/** One request the fake received, as the SDK sent it. */
export interface SeenRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  form: URLSearchParams;
}

/**
 * A fake Stripe API on node:http for the few endpoints Billing calls (checkout sessions and their
 * expiry, refunds, subscription updates and cancellation, the event list). Response bodies are typed
 * against the SDK's own types (`Pick<Stripe.X, ...>`: every field BK reads, checked by tsc).
 * `failNext(path, n)` answers the next n calls to a path with a 500, to exercise the SDK's retries.
 */
export interface FakeStripe {
  readonly host: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  events: Stripe.Event[];
  failNext(path: string, times: number): void;
  close(): Promise<void>;
}

type SessionShape = Pick<
  Stripe.Checkout.Session,
  | 'id'
  | 'object'
  | 'url'
  | 'mode'
  | 'status'
  | 'payment_status'
  | 'amount_total'
  | 'currency'
  | 'client_reference_id'
  | 'metadata'
  | 'payment_intent'
  | 'subscription'
  | 'livemode'
  | 'created'
  | 'expires_at'
  | 'success_url'
  | 'cancel_url'
>;
type RefundShape = Pick<
  Stripe.Refund,
  | 'id'
  | 'object'
  | 'amount'
  | 'currency'
  | 'payment_intent'
  | 'status'
  | 'created'
  | 'metadata'
  | 'reason'
>;
type SubscriptionShape = Pick<
  Stripe.Subscription,
  'id' | 'object' | 'status' | 'cancel_at_period_end' | 'pause_collection' | 'metadata'
>;
type EventList = Pick<Stripe.ApiList<Stripe.Event>, 'object' | 'data' | 'has_more' | 'url'>;
type ErrorBody = {
  error: {
    type: Stripe.errors.StripeError['type'] | 'api_error' | 'invalid_request_error';
    message: string;
  };
};

export async function startFakeStripe(): Promise<FakeStripe> {
  const seen: SeenRequest[] = [];
  const failures = new Map<string, number>();
  const sessions = new Map<string, SessionShape>();
  const refunds = new Map<string, RefundShape>();
  const fake: FakeStripe = {
    host: '127.0.0.1',
    port: 0,
    seen,
    events: [],
    failNext(path, times) {
      failures.set(path, times);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const send = (res: http.ServerResponse, status: number, body: object) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_fake_${seen.length}`,
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (code: Buffer) => chunks.push(code));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = new URLSearchParams(
        req.method === 'GET' ? url.search : Buffer.concat(chunks).toString('utf8'),
      );
      const key = req.headers['idempotency-key'];
      seen.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        idempotencyKey: typeof key === 'string' ? key : undefined,
        authorization: req.headers.authorization,
        form,
      });
      const failing = failures.get(url.pathname) ?? 0;
      if (failing > 0) {
        failures.set(url.pathname, failing - 1);
        const err: ErrorBody = { error: { type: 'api_error', message: 'fake: transient failure' } };
        return send(res, 500, err);
      }
      const now = Math.floor(Date.now() / 1000);
      if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        // Stripe answers a repeated idempotency key with the first response.
        const existing = typeof key === 'string' ? sessions.get(key) : undefined;
        if (existing) return send(res, 200, existing);
        const id = `cs_test_fake${seen.length}`;
        const mode = form.get('mode') as Stripe.Checkout.Session.Mode;
        const body: SessionShape = {
          id,
          object: 'checkout.session',
          url: `https://checkout.stripe.com/c/pay/${id}`,
          mode,
          status: 'open',
          payment_status: 'unpaid',
          amount_total:
            Number(form.get('line_items[0][price_data][unit_amount]')) *
            Number(form.get('line_items[0][quantity]') ?? 1),
          currency: form.get('line_items[0][price_data][currency]'),
          client_reference_id: form.get('client_reference_id'),
          metadata: {
            bk_reference_kind: form.get('metadata[bk_reference_kind]') ?? '',
            bk_reference_id: form.get('metadata[bk_reference_id]') ?? '',
            bk_client_id: form.get('metadata[bk_client_id]') ?? '',
          },
          payment_intent: null,
          subscription: null,
          livemode: false,
          created: now,
          expires_at: now + 86_400,
          success_url: form.get('success_url'),
          cancel_url: form.get('cancel_url'),
        };
        if (typeof key === 'string') sessions.set(key, body);
        return send(res, 200, body);
      }
      const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(url.pathname);
      if (req.method === 'POST' && expire) {
        const session = [...sessions.values()].find((session) => session.id === expire[1]);
        if (!session)
          return send(res, 404, {
            error: {
              type: 'invalid_request_error',
              message: `No such checkout.session: '${expire[1]}'`,
            },
          } satisfies ErrorBody);
        if (session.status !== 'open')
          return send(res, 400, {
            error: {
              type: 'invalid_request_error',
              message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
            },
          } satisfies ErrorBody);
        session.status = 'expired';
        return send(res, 200, session);
      }
      if (req.method === 'POST' && url.pathname === '/v1/refunds') {
        // Stripe answers a repeated idempotency key with the first response.
        const existing = typeof key === 'string' ? refunds.get(key) : undefined;
        if (existing) return send(res, 200, existing);
        const metadata: Record<string, string> = {};
        for (const [keyItem, value] of form)
          if (keyItem.startsWith('metadata['))
            metadata[keyItem.slice('metadata['.length, -1)] = value;
        const body: RefundShape = {
          id: `re_fake_${seen.length}`,
          object: 'refund',
          amount: Number(form.get('amount')),
          currency: 'gbp',
          payment_intent: form.get('payment_intent'),
          status: 'succeeded',
          created: now,
          metadata,
          reason: (form.get('reason') as Stripe.Refund.Reason | null) ?? null,
        };
        if (typeof key === 'string') refunds.set(key, body);
        return send(res, 200, body);
      }
      const sub = /^\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'POST' && sub) {
        const body: SubscriptionShape = {
          id: sub[1]!,
          object: 'subscription',
          status: 'active',
          cancel_at_period_end: form.get('cancel_at_period_end') === 'true',
          pause_collection: null,
          metadata: {},
        };
        return send(res, 200, body);
      }
      if (req.method === 'DELETE' && sub) {
        const body: SubscriptionShape = {
          id: sub[1]!,
          object: 'subscription',
          status: 'canceled',
          cancel_at_period_end: false,
          pause_collection: null,
          metadata: {},
        };
        return send(res, 200, body);
      }
      if (req.method === 'GET' && url.pathname === '/v1/events') {
        const gte = Number(form.get('created[gte]') ?? 0);
        const list: EventList = {
          object: 'list',
          data: fake.events
            .filter((entry) => entry.created >= gte)
            .sort((left, right) => right.created - left.created),
          has_more: false,
          url: '/v1/events',
        };
        return send(res, 200, list);
      }
      const err: ErrorBody = {
        error: {
          type: 'invalid_request_error',
          message: `fake: no route ${req.method} ${url.pathname}`,
        },
      };
      return send(res, 404, err);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (fake as { port: number }).port = (server.address() as AddressInfo).port;
  return fake;
}

/** A checkout.session.completed event as Stripe would list it, typed by the SDK. */
export function checkoutCompletedEvent(option: {
  id: string;
  created: number;
  sessionId: string;
  referenceId: string;
  clientId: string;
  amount: number;
  paymentIntent: string;
}): Stripe.Event {
  const session: SessionShape = {
    id: option.sessionId,
    object: 'checkout.session',
    url: null,
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    amount_total: option.amount,
    currency: 'gbp',
    client_reference_id: option.referenceId,
    metadata: {
      bk_reference_kind: 'pack_purchase',
      bk_reference_id: option.referenceId,
      bk_client_id: option.clientId,
    },
    payment_intent: option.paymentIntent,
    subscription: null,
    livemode: false,
    created: option.created,
    expires_at: option.created + 86_400,
    success_url: null,
    cancel_url: null,
  };
  const event: Pick<
    Stripe.Event,
    'id' | 'object' | 'api_version' | 'created' | 'livemode' | 'pending_webhooks' | 'request'
  > & { type: 'checkout.session.completed'; data: { object: SessionShape } } = {
    id: option.id,
    object: 'event',
    api_version: null,
    created: option.created,
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
    data: { object: session },
  };
  return event as unknown as Stripe.Event;
}
