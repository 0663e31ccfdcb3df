-- Retention (docs/retention.md): the indexes housekeeping's purges walk, so a pass reads what it
-- deletes or rewrites rather than whole tables.

-- Published outbox rows past their retention, and the dead letters that still need their event.
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX dead_letters_unreplayed ON dead_letters (event_id) WHERE replayed_at IS NULL;

-- Chat: the outbox copies of a deleted message's body (chat's events carry the message), found
-- from the messages deleted lately; and moderation entries whose texts are still there.
CREATE INDEX outbox_chat_message ON outbox ((payload #>> '{message,messageId}')) WHERE type IN ('chat.message_posted', 'chat.message_updated');
CREATE INDEX chat_messages_deleted ON chat_messages (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX chat_moderation_texts ON chat_moderation (at) WHERE before IS NOT NULL OR after IS NOT NULL;
