-- A chat's messages are indexed by time bucket first, like the events (0007): the index
-- `(bucket, chat_id, seq)` replaces `(chat_id, seq)`, so a group commit that reaches many chats
-- writes the few index pages of the current bucket instead of one page per chat.
-- `message_buckets` lists every chat's buckets with the first seq in each; the chat row holds
-- its current bucket and that bucket's first seq. Existing messages are filed by their time,
-- 4 s buckets, raised to the chat's running maximum so the order holds.

CREATE TABLE message_bucket_fill (
    id     INTEGER PRIMARY KEY,
    bucket INTEGER NOT NULL
);
INSERT INTO message_bucket_fill (id, bucket)
SELECT id, MAX(created_at / 4000) OVER (PARTITION BY chat_id ORDER BY seq ROWS UNBOUNDED PRECEDING)
FROM messages;
ALTER TABLE messages ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET bucket = (SELECT f.bucket FROM message_bucket_fill f WHERE f.id = messages.id);
DROP TABLE message_bucket_fill;

DROP INDEX messages_chat_seq;
CREATE UNIQUE INDEX messages_bucket_chat_seq ON messages (bucket, chat_id, seq);

CREATE TABLE message_buckets (
    chat_id   INTEGER NOT NULL,
    bucket    INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    PRIMARY KEY (chat_id, bucket)
) WITHOUT ROWID;
INSERT INTO message_buckets (chat_id, bucket, first_seq)
SELECT chat_id, bucket, MIN(seq) FROM messages GROUP BY chat_id, bucket;

ALTER TABLE chats ADD COLUMN seq_bucket INTEGER NOT NULL DEFAULT -1;
ALTER TABLE chats ADD COLUMN seq_bucket_first INTEGER NOT NULL DEFAULT 0;
UPDATE chats SET
    seq_bucket = COALESCE((SELECT MAX(b.bucket) FROM message_buckets b WHERE b.chat_id = chats.id), -1),
    seq_bucket_first = COALESCE((SELECT b.first_seq FROM message_buckets b WHERE b.chat_id = chats.id
                                 ORDER BY b.bucket DESC LIMIT 1), 0);
