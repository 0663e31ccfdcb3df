-- Cross-cutting tables: the transactional outbox and idempotency keys.

CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  position bigserial UNIQUE NOT NULL,
  type text NOT NULL,
  occurred_at timestamptz NOT NULL,
  schema_version integer NOT NULL DEFAULT 1,
  payload jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;

CREATE TABLE idempotency_keys (
  operation_id text NOT NULL,
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (operation_id, scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
