-- Subscriptions: plans, each client's subscription state machine with its audit trail, and the
-- invoices that granted credits (once each).

CREATE TABLE subscription_plans (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  description text,
  interval text NOT NULL CHECK (interval IN ('week', 'month')),
  meals_per_interval integer NOT NULL CHECK (meals_per_interval BETWEEN 1 AND 100),
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status text NOT NULL CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE subscriptions (
  id uuid PRIMARY KEY,
  plan_id uuid NOT NULL REFERENCES subscription_plans (id),
  client_id uuid NOT NULL,
  meals_per_interval integer NOT NULL,
  status text NOT NULL CHECK (status IN ('incomplete', 'active', 'past_due', 'paused', 'canceled', 'unpaid')),
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  current_period_end timestamptz,
  checkout_session_id text,
  provider_subscription_id text UNIQUE,
  -- `event.created` of the newest provider state applied; older events do not move the state back.
  provider_state_at bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX subscriptions_client ON subscriptions (client_id, created_at DESC);
-- One live subscription per client and plan.
CREATE UNIQUE INDEX subscriptions_live ON subscriptions (client_id, plan_id) WHERE status <> 'canceled';

CREATE TABLE subscription_transitions (
  id uuid PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES subscriptions (id),
  from_status text,
  to_status text NOT NULL,
  cancel_at_period_end boolean NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL,
  reason text NOT NULL
);
CREATE INDEX subscription_transitions_sub ON subscription_transitions (subscription_id, changed_at);
CREATE TRIGGER subscription_transitions_immutable BEFORE UPDATE OR DELETE ON subscription_transitions FOR EACH ROW EXECUTE FUNCTION bk_refuse_change();

CREATE TABLE subscription_invoice_grants (
  invoice_id text PRIMARY KEY,
  subscription_id uuid NOT NULL REFERENCES subscriptions (id),
  credits integer NOT NULL,
  granted_at timestamptz NOT NULL
);
