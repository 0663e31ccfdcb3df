-- Presence rows are refreshed by the instance holding the socket; rows of an instance that died
-- without closing its sockets stop being refreshed and are deleted by housekeeping.
ALTER TABLE chat_presence ADD COLUMN seen_at timestamptz;
UPDATE chat_presence SET seen_at = connected_at;
ALTER TABLE chat_presence ALTER COLUMN seen_at SET NOT NULL;
CREATE INDEX chat_presence_seen ON chat_presence (seen_at);
