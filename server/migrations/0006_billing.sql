-- Billing: Stripe webhook events stored once by id, the checkout sessions BK created, the local
-- provider's own event log (development), and the immutable money ledger.

-- Every event Stripe (or the local provider) delivered, stored once by its id before it is
-- acknowledged; processed afterwards through the outbox (`billing.stripe_event_received`).
CREATE TABLE billing_stripe_events (
  id text PRIMARY KEY,
  type text NOT NULL,
  -- Stripe's `event.created` (unix seconds): the order of object states, whatever the delivery order.
  created_unix bigint NOT NULL,
  livemode boolean NOT NULL DEFAULT false,
  payload jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('webhook', 'reconcile')),
  received_at timestamptz NOT NULL,
  processed_at timestamptz,
  outcome text
);
CREATE INDEX billing_stripe_events_created ON billing_stripe_events (created_unix);

-- Checkout sessions BK asked the provider for: what they are for, in BK's terms.
CREATE TABLE billing_checkout_sessions (
  id text PRIMARY KEY,
  provider text NOT NULL CHECK (provider IN ('stripe', 'local')),
  mode text NOT NULL CHECK (mode IN ('payment', 'subscription')),
  reference_kind text NOT NULL CHECK (reference_kind IN ('pack_purchase', 'subscription')),
  reference_id uuid NOT NULL,
  client_id uuid NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  lines jsonb NOT NULL,
  interval text CHECK (interval IN ('week', 'month')),
  url text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'complete', 'expired')),
  created_at timestamptz NOT NULL,
  UNIQUE (reference_kind, reference_id)
);

-- The local provider plays Stripe's part in development: the events it sent, so that
-- reconciliation can list them like `stripe.events.list`.
CREATE TABLE billing_local_events (
  id text PRIMARY KEY,
  created_unix bigint NOT NULL,
  payload jsonb NOT NULL
);
CREATE INDEX billing_local_events_created ON billing_local_events (created_unix);

-- The local provider's payments (its "charges"), so refunds can be checked and counted like Stripe's.
CREATE TABLE billing_local_payments (
  payment_intent text PRIMARY KEY,
  charge_id text UNIQUE NOT NULL,
  checkout_session_id text NOT NULL,
  amount_minor bigint NOT NULL,
  amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount_minor),
  currency text NOT NULL
);

-- The newest cumulative refund the provider reported per payment (`charge.amount_refunded`).
-- Refund transactions are the difference to what the ledger already holds, so refund events in any
-- order, before or after the payment's own event, converge on the same ledger.
CREATE TABLE billing_refund_states (
  payment_intent text PRIMARY KEY,
  charge_id text NOT NULL,
  amount_refunded bigint NOT NULL CHECK (amount_refunded >= 0),
  currency text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- The money ledger: one row per payment, paid invoice or refund. Immutable.
CREATE TABLE billing_transactions (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('payment', 'invoice', 'refund')),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  provider text NOT NULL CHECK (provider IN ('stripe', 'local')),
  -- payment intent (payment), invoice (invoice) or refund (refund) id at the provider.
  provider_ref text NOT NULL,
  -- For refunds, the payment they refund.
  refunds_transaction_id uuid REFERENCES billing_transactions (id),
  reference_kind text CHECK (reference_kind IN ('pack_purchase', 'subscription')),
  reference_id uuid,
  client_id uuid,
  stripe_event_id text NOT NULL REFERENCES billing_stripe_events (id),
  created_at timestamptz NOT NULL,
  UNIQUE (kind, provider_ref)
);
CREATE INDEX billing_transactions_created ON billing_transactions (created_at DESC, id DESC);
CREATE INDEX billing_transactions_refunds ON billing_transactions (refunds_transaction_id) WHERE refunds_transaction_id IS NOT NULL;

CREATE TABLE billing_transaction_lines (
  transaction_id uuid NOT NULL REFERENCES billing_transactions (id),
  line_no integer NOT NULL,
  description text NOT NULL,
  quantity integer NOT NULL CHECK (quantity >= 1),
  unit_amount_minor bigint NOT NULL,
  amount_minor bigint NOT NULL,
  PRIMARY KEY (transaction_id, line_no)
);

-- Money that moved never changes: corrections are new rows (a refund), never edits.
CREATE FUNCTION bk_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER billing_transactions_immutable BEFORE UPDATE OR DELETE ON billing_transactions FOR EACH ROW EXECUTE FUNCTION bk_refuse_change();
CREATE TRIGGER billing_transaction_lines_immutable BEFORE UPDATE OR DELETE ON billing_transaction_lines FOR EACH ROW EXECUTE FUNCTION bk_refuse_change();
CREATE TRIGGER billing_transactions_no_truncate BEFORE TRUNCATE ON billing_transactions FOR EACH STATEMENT EXECUTE FUNCTION bk_refuse_change();
