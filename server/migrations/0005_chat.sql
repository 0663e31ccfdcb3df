-- Chat: the lobby, sub-lobbies, invite-only rooms and site visitor conversations, with per
-- conversation gapless seq, idempotent sends, read/delivered markers, invitations, moderation audit,
-- anonymous site guests and presence connections.

CREATE TABLE chat_guests (
  id uuid PRIMARY KEY,
  created_at timestamptz NOT NULL,
  last_active_at timestamptz NOT NULL
);
CREATE INDEX chat_guests_last_active ON chat_guests (last_active_at);

CREATE TABLE chat_conversations (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('lobby', 'sub_lobby', 'room', 'visitor')),
  title text NOT NULL,
  -- The seq of the newest message; sends increment it under this row's lock, so seqs are gapless
  -- and commit in order.
  last_seq integer NOT NULL DEFAULT 0,
  last_message_at timestamptz,
  guest_id uuid UNIQUE REFERENCES chat_guests (id),
  manager_id uuid,
  created_by uuid,
  -- Visitor inbox: waiting while the visitor wrote last; visitor messages since the last staff reply.
  visitor_status text CHECK (visitor_status IN ('waiting', 'answered')),
  visitor_unanswered integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  CHECK ((kind = 'visitor') = (guest_id IS NOT NULL))
);
-- Exactly one lobby.
CREATE UNIQUE INDEX chat_conversations_one_lobby ON chat_conversations (kind) WHERE kind = 'lobby';
CREATE INDEX chat_conversations_visitor_inbox ON chat_conversations (last_message_at DESC) WHERE kind = 'visitor' AND last_seq > 0;

INSERT INTO chat_conversations (id, kind, title, created_at) VALUES (gen_random_uuid(), 'lobby', 'Balance Kitchen lobby', now());

CREATE TABLE chat_members (
  conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
  user_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX chat_members_by_user ON chat_members (user_id);

CREATE TABLE chat_messages (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
  seq integer NOT NULL,
  sender_kind text NOT NULL CHECK (sender_kind IN ('user', 'guest')),
  sender_id text NOT NULL,
  sender_name text NOT NULL,
  client_message_id text NOT NULL,
  -- Null once a moderator deleted it; the seq stays.
  body text,
  sent_at timestamptz NOT NULL,
  edited_at timestamptz,
  deleted_at timestamptz,
  CONSTRAINT chat_messages_seq_key UNIQUE (conversation_id, seq),
  -- A retried send (same sender, same clientMessageId) is the same message.
  CONSTRAINT chat_messages_client_id_key UNIQUE (conversation_id, sender_id, client_message_id)
);

-- Read and delivered markers per reader (a user id or a guest id); they only move forward.
CREATE TABLE chat_read_markers (
  conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
  reader_id text NOT NULL,
  last_read_seq integer NOT NULL DEFAULT 0,
  last_delivered_seq integer NOT NULL DEFAULT 0,
  PRIMARY KEY (conversation_id, reader_id)
);

CREATE TABLE chat_invitations (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
  inviter_id uuid NOT NULL,
  invitee_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),
  created_at timestamptz NOT NULL,
  answered_at timestamptz
);
CREATE UNIQUE INDEX chat_invitations_one_pending ON chat_invitations (conversation_id, invitee_id) WHERE status = 'pending';
CREATE INDEX chat_invitations_by_invitee ON chat_invitations (invitee_id, created_at DESC) WHERE status = 'pending';

CREATE TABLE chat_moderation (
  id uuid PRIMARY KEY,
  position bigserial NOT NULL,
  message_id uuid NOT NULL REFERENCES chat_messages (id),
  conversation_id uuid NOT NULL,
  actor_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('edit', 'delete')),
  before text,
  after text,
  reason text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX chat_moderation_by_message ON chat_moderation (message_id, position);

-- One row per open authenticated socket, across instances: a user is online while any row exists.
CREATE TABLE chat_presence (
  connection_id text PRIMARY KEY,
  user_id uuid NOT NULL,
  connected_at timestamptz NOT NULL
);
CREATE INDEX chat_presence_by_user ON chat_presence (user_id);
