-- Voice and video calls between the two people of a direct chat, and the one live (ringing or
-- active) call each person may be in: a person's row in call_parties is claimed when a call
-- is placed and freed in the transaction that ends it, so two calls cannot both take them.
-- Devices are the ids of the WebSocket connections that placed and answered the call. Times
-- are Unix milliseconds.

CREATE TABLE calls (
    id             INTEGER PRIMARY KEY,
    chat_id        INTEGER NOT NULL REFERENCES chats (id),
    caller_id      INTEGER NOT NULL REFERENCES accounts (id),
    callee_id      INTEGER NOT NULL REFERENCES accounts (id),
    media          TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    end_reason     TEXT,
    caller_device  INTEGER NOT NULL,
    callee_device  INTEGER,
    created_at     INTEGER NOT NULL,
    answered_at    INTEGER,
    ended_at       INTEGER,
    caller_seen_at INTEGER NOT NULL,
    callee_seen_at INTEGER
);
CREATE INDEX calls_caller ON calls (caller_id, id);
CREATE INDEX calls_callee ON calls (callee_id, id);
CREATE INDEX calls_live ON calls (state, created_at) WHERE state <> 'ended';

CREATE TABLE call_parties (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
    call_id    INTEGER NOT NULL
);
