-- A message's client_id is the sender's idempotency key. The unique index that dedupes it
-- leads with the client_id instead of the sender: clients make their ids time-ordered (the web
-- client uses UUIDv7), so new entries land at the end of the index instead of in the middle of
-- every sender's range, and a group commit writes a few index pages instead of one per sender.
-- The set of columns, and so what is unique, is unchanged.

DROP INDEX messages_client_id;
CREATE UNIQUE INDEX messages_client_id ON messages (client_id, sender_id) WHERE client_id IS NOT NULL;
