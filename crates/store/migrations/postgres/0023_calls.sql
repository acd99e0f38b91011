-- Voice and video calls between the two people of a direct chat, and the one live (ringing or
-- active) call each person may be in: a person's row in call_parties is claimed when a call
-- is placed and freed in the transaction that ends it, so two calls cannot both take them.
-- Devices are the ids of the WebSocket connections that placed and answered the call. Times
-- are Unix milliseconds. The ids of chats and accounts are not foreign keys: the key locks
-- they would take on those rows, in the order a call names its people, could deadlock with
-- the group commit, which locks accounts in id order (the rows are never deleted anyway).

CREATE TABLE calls (
    id             BIGINT PRIMARY KEY,
    chat_id        BIGINT  NOT NULL,
    caller_id      BIGINT  NOT NULL,
    callee_id      BIGINT  NOT NULL,
    media          TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    end_reason     TEXT,
    caller_device  BIGINT  NOT NULL,
    callee_device  BIGINT,
    created_at     BIGINT  NOT NULL,
    answered_at    BIGINT,
    ended_at       BIGINT,
    caller_seen_at BIGINT  NOT NULL,
    callee_seen_at BIGINT
);
CREATE INDEX calls_caller ON calls (caller_id, id);
CREATE INDEX calls_callee ON calls (callee_id, id);
CREATE INDEX calls_live ON calls (state, created_at) WHERE state <> 'ended';

CREATE TABLE call_parties (
    account_id BIGINT PRIMARY KEY,
    call_id    BIGINT  NOT NULL
);
