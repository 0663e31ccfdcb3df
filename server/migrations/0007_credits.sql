-- Credits: meal entitlements. An append-only ledger and the balance it sums to, kept in the same
-- transaction as every entry.

CREATE TABLE credit_accounts (
  client_id uuid PRIMARY KEY,
  -- Consumption never takes it below zero (guarded in the UPDATE); a refund of credits already
  -- spent may, and then the client owes meals.
  balance integer NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE credit_ledger (
  id uuid PRIMARY KEY,
  seq bigserial UNIQUE NOT NULL,
  client_id uuid NOT NULL REFERENCES credit_accounts (client_id),
  kind text NOT NULL CHECK (kind IN ('grant', 'consume', 'reverse')),
  delta integer NOT NULL CHECK (delta <> 0),
  balance_after integer NOT NULL,
  source_kind text NOT NULL,
  source_id text NOT NULL,
  reason text,
  created_at timestamptz NOT NULL,
  -- One entry per cause: a redelivered event cannot grant or reverse twice.
  UNIQUE (source_kind, source_id),
  CHECK ((kind = 'grant' AND delta > 0) OR (kind IN ('consume', 'reverse') AND delta < 0))
);
CREATE INDEX credit_ledger_client ON credit_ledger (client_id, created_at DESC, id DESC);

CREATE TRIGGER credit_ledger_immutable BEFORE UPDATE OR DELETE ON credit_ledger FOR EACH ROW EXECUTE FUNCTION bk_refuse_change();
