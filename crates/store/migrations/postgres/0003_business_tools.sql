-- Business tools: agents of a WABA and their sessions, the shared inbox (state, assignee,
-- internal notes), labels, quick replies, automations (settings per business number, the
-- event cursor the automation worker keeps, the replies it sent) and QR short links.
-- Times are Unix milliseconds.

CREATE TABLE agents (
    id            BIGINT PRIMARY KEY,
    waba_id       BIGINT NOT NULL REFERENCES wabas (id),
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT,
    invite_hash   TEXT    UNIQUE,
    last_seen     BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX agents_waba ON agents (waba_id);

CREATE TABLE agent_sessions (
    id         BIGINT PRIMARY KEY,
    agent_id   BIGINT NOT NULL REFERENCES agents (id),
    token_hash TEXT    NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE inbox_chats (
    chat_id     BIGINT PRIMARY KEY REFERENCES chats (id),
    business_id BIGINT NOT NULL REFERENCES accounts (id),
    state       TEXT    NOT NULL,
    assignee_id BIGINT REFERENCES agents (id),
    updated_at  BIGINT NOT NULL
);

CREATE TABLE chat_notes (
    id         BIGINT PRIMARY KEY,
    chat_id    BIGINT NOT NULL REFERENCES chats (id),
    agent_id   BIGINT NOT NULL REFERENCES agents (id),
    body       TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX chat_notes_chat ON chat_notes (chat_id, id);

CREATE TABLE labels (
    id         BIGINT PRIMARY KEY,
    waba_id    BIGINT NOT NULL REFERENCES wabas (id),
    name       TEXT    NOT NULL,
    color      TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (waba_id, name)
);

CREATE TABLE chat_labels (
    label_id BIGINT NOT NULL REFERENCES labels (id),
    chat_id  BIGINT NOT NULL REFERENCES chats (id),
    PRIMARY KEY (label_id, chat_id)
);

CREATE TABLE quick_replies (
    id         BIGINT PRIMARY KEY,
    waba_id    BIGINT NOT NULL REFERENCES wabas (id),
    shortcut   TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    media_id   BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (waba_id, shortcut)
);

CREATE TABLE automation_settings (
    business_id BIGINT PRIMARY KEY REFERENCES accounts (id),
    settings    TEXT    NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE automation_cursors (
    business_id BIGINT PRIMARY KEY REFERENCES accounts (id),
    last_seq    BIGINT NOT NULL,
    lease_until BIGINT NOT NULL
);

CREATE TABLE automation_replies (
    business_id BIGINT NOT NULL REFERENCES accounts (id),
    trigger_key TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    person_id   BIGINT NOT NULL,
    message_id  BIGINT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (business_id, trigger_key)
);

CREATE TABLE qr_codes (
    code              TEXT    PRIMARY KEY,
    business_id       BIGINT NOT NULL REFERENCES accounts (id),
    prefilled_message TEXT    NOT NULL,
    scans             BIGINT NOT NULL DEFAULT 0,
    opens             BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX qr_codes_business ON qr_codes (business_id, created_at);
