-- Event delivery: what each in-process consumer did with each outbox event, and the events a
-- consumer gave up on. The outbox row is published (and fanned out) once every consumer of its
-- type is processed or dead-lettered.

-- One row per (consumer, event) once the relay tried it. `processed` is written in the same
-- transaction as the consumer's effect, so it doubles as the processed-event id that makes a
-- redelivery a no-op.
CREATE TABLE event_deliveries (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('retry', 'processed', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  last_error text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX event_deliveries_event ON event_deliveries (event_id);
CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at) WHERE status = 'retry';

-- A consumer's failures after every retry. A replay hands the event to the consumer once more;
-- if that fails too, the failure is a new dead letter (each one is replayed at most once).
CREATE TABLE dead_letters (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  consumer text NOT NULL,
  attempts integer NOT NULL CHECK (attempts >= 1),
  last_error text NOT NULL,
  failed_at timestamptz NOT NULL,
  replayed_at timestamptz
);
CREATE INDEX dead_letters_newest ON dead_letters (failed_at DESC, id DESC);
