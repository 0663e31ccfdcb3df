-- The order in which the relay published outbox rows. Relay transactions run one at a time (an
-- advisory lock held until commit), so values of this sequence become visible in increasing order,
-- which `position` (taken at insert, committed in any order, and published late after a retry) does
-- not promise. An API instance that lost its LISTEN connection replays every row after the last
-- published_seq it dispatched, and so misses none.
CREATE SEQUENCE outbox_published_seq;
ALTER TABLE outbox ADD COLUMN published_seq bigint;
CREATE UNIQUE INDEX outbox_published_order ON outbox (published_seq) WHERE published_seq IS NOT NULL;
