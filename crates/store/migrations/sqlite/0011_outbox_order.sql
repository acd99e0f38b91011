-- Status webhooks of one message reach an app in order. Each outbox row of a status (or a
-- payment status) carries its ordering key: the message (or payment) it reports and the
-- recipient it reached (0 for none); other events have none. A claim takes a row only when
-- no earlier row of the same app and key is still pending, so `delivered` waits for `sent`
-- however its retries go. The index holds pending keyed rows only, so it stays as small as
-- the backlog, and it answers the claim's "is an earlier one pending?" with one probe.
ALTER TABLE outbox ADD COLUMN order_subject INTEGER;
ALTER TABLE outbox ADD COLUMN order_recipient INTEGER;

-- Rows still pending from before get their keys too (those of delivered rows do not matter).
UPDATE outbox
SET order_subject = json_extract(event, '$.message_id'),
    order_recipient = COALESCE(json_extract(event, '$.recipient_id'), 0)
WHERE state = 'pending' AND json_extract(event, '$.event') = 'status'
  AND json_extract(event, '$.message_id') IS NOT NULL;
UPDATE outbox
SET order_subject = json_extract(event, '$.payment_id'), order_recipient = 0
WHERE state = 'pending' AND json_extract(event, '$.event') = 'payment';

CREATE INDEX outbox_order ON outbox (order_subject, order_recipient, app_id, id)
WHERE state = 'pending' AND order_subject IS NOT NULL;
