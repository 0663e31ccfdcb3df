-- Packs: the catalogue of one-off meal packs and the purchases of them.

CREATE TABLE packs (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  description text,
  meals integer NOT NULL CHECK (meals BETWEEN 1 AND 500),
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  status text NOT NULL CHECK (status IN ('active', 'retired')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- A purchase snapshots the pack as it was when the checkout started.
CREATE TABLE pack_purchases (
  id uuid PRIMARY KEY,
  pack_id uuid NOT NULL REFERENCES packs (id),
  client_id uuid NOT NULL,
  pack_name text NOT NULL,
  meals integer NOT NULL CHECK (meals >= 1),
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL,
  checkout_session_id text,
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'partially_refunded', 'refunded')),
  paid_minor bigint NOT NULL DEFAULT 0,
  -- The highest cumulative refund the provider reported (charge.amount_refunded), so refund events
  -- in any order converge on the newest state.
  refunded_minor bigint NOT NULL DEFAULT 0,
  credits_granted integer NOT NULL DEFAULT 0,
  -- How many credit entries this purchase wrote (keys each one uniquely in the credits ledger).
  credit_entries integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  paid_at timestamptz,
  updated_at timestamptz NOT NULL
);
CREATE INDEX pack_purchases_client ON pack_purchases (client_id, created_at DESC);
