-- Each account's events are filed by time bucket first (a few seconds wide, never going back
-- for an account), so a group commit that reaches many accounts writes the few index pages of
-- the current bucket instead of one page per account. `event_buckets` lists every account's
-- buckets with the first seq in each, for reading an account's events after a seq; the
-- account row holds its current bucket and that bucket's first seq. Existing events are filed
-- by their time, 4 s buckets, raised to the account's running maximum so the order holds.

CREATE TABLE events_by_bucket (
    bucket     INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    chat_id    INTEGER,
    message_id INTEGER,
    payload    TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (bucket, account_id, seq)
);
INSERT INTO events_by_bucket (bucket, account_id, seq, kind, chat_id, message_id, payload, created_at)
SELECT MAX(created_at / 4000) OVER (PARTITION BY account_id ORDER BY seq ROWS UNBOUNDED PRECEDING),
       account_id, seq, kind, chat_id, message_id, payload, created_at
FROM events;
DROP TABLE events;
ALTER TABLE events_by_bucket RENAME TO events;

CREATE TABLE event_buckets (
    account_id INTEGER NOT NULL,
    bucket     INTEGER NOT NULL,
    first_seq  INTEGER NOT NULL,
    PRIMARY KEY (account_id, bucket)
) WITHOUT ROWID;
INSERT INTO event_buckets (account_id, bucket, first_seq)
SELECT account_id, bucket, MIN(seq) FROM events GROUP BY account_id, bucket;

ALTER TABLE accounts ADD COLUMN event_bucket INTEGER NOT NULL DEFAULT -1;
ALTER TABLE accounts ADD COLUMN event_bucket_first INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET
    event_bucket = COALESCE((SELECT MAX(b.bucket) FROM event_buckets b WHERE b.account_id = accounts.id), -1),
    event_bucket_first = COALESCE((SELECT b.first_seq FROM event_buckets b WHERE b.account_id = accounts.id
                                   ORDER BY b.bucket DESC LIMIT 1), 0);
