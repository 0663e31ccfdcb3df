-- Billing edge cases: invoice payments (so refunds and disputes find their invoice), disputes,
-- the refund requests admins make, and what packs and subscription invoices hold after them.

-- Which payment intent paid which invoice (Stripe's `invoice_payment.paid`, or the invoice's own
-- `payments` when present). Refunds and disputes name only the payment intent.
CREATE TABLE billing_invoice_payments (
  payment_intent text PRIMARY KEY,
  invoice_id text NOT NULL,
  amount_paid bigint NOT NULL CHECK (amount_paid >= 0),
  currency text NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX billing_invoice_payments_invoice ON billing_invoice_payments (invoice_id);

-- Disputes (chargebacks): the newest state the provider reported for each, by `event.created`.
CREATE TABLE billing_disputes (
  id text PRIMARY KEY,
  payment_intent text NOT NULL,
  charge_id text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency text NOT NULL,
  status text NOT NULL,
  reason text,
  state_at bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX billing_disputes_payment ON billing_disputes (payment_intent);

-- Each refund an admin asked for: how much, why, who. Its id is the provider's idempotency key, so
-- two equal partial refunds are two refunds and a retried request is one.
CREATE TABLE billing_refund_requests (
  id uuid PRIMARY KEY,
  transaction_id uuid NOT NULL REFERENCES billing_transactions (id),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  reason text NOT NULL,
  requested_by uuid NOT NULL,
  -- requested: sent (or being sent) to the provider; failed: the provider refused it.
  status text NOT NULL CHECK (status IN ('requested', 'failed')),
  provider_refund_id text,
  created_at timestamptz NOT NULL
);
CREATE INDEX billing_refund_requests_transaction ON billing_refund_requests (transaction_id, created_at);

-- A disputed purchase holds back the disputed part of its credits (until won; for good when lost).
ALTER TABLE pack_purchases
  ADD COLUMN disputed_minor bigint NOT NULL DEFAULT 0,
  ADD COLUMN dispute_state_at bigint NOT NULL DEFAULT 0;

-- The price a subscription started with: an invoice grants its meals in proportion to it.
ALTER TABLE subscriptions ADD COLUMN price_minor bigint;
UPDATE subscriptions s SET price_minor = p.price_minor FROM subscription_plans p WHERE p.id = s.plan_id;
ALTER TABLE subscriptions ALTER COLUMN price_minor SET NOT NULL;

-- What each invoice paid and bought (`credits`), what was refunded or disputed since, and the
-- credits it holds now; `credit_entries` numbers its ledger entries.
ALTER TABLE subscription_invoice_grants
  ADD COLUMN paid_minor bigint,
  ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0,
  ADD COLUMN disputed_minor bigint NOT NULL DEFAULT 0,
  ADD COLUMN dispute_state_at bigint NOT NULL DEFAULT 0,
  ADD COLUMN credits_held integer,
  ADD COLUMN credit_entries integer NOT NULL DEFAULT 1;
UPDATE subscription_invoice_grants g SET paid_minor = s.price_minor, credits_held = g.credits FROM subscriptions s WHERE s.id = g.subscription_id;
ALTER TABLE subscription_invoice_grants ALTER COLUMN paid_minor SET NOT NULL, ALTER COLUMN credits_held SET NOT NULL;
