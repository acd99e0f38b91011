-- Core schema: accounts, sessions, businesses, chats, messages, receipts, events, media, outbox.
-- Times are Unix milliseconds; ids are time-ordered 63-bit integers.

CREATE TABLE accounts (
    id            BIGINT PRIMARY KEY,
    kind          TEXT    NOT NULL,
    wa_id         TEXT    NOT NULL UNIQUE,
    phone         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    about         TEXT    NOT NULL,
    photo         BIGINT,
    verified_name TEXT,
    waba_id       BIGINT,
    last_seen     BIGINT,
    event_seq     BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
CREATE INDEX accounts_waba ON accounts (waba_id) WHERE waba_id IS NOT NULL;
CREATE INDEX accounts_photo ON accounts (photo) WHERE photo IS NOT NULL;

CREATE TABLE verification_codes (
    phone      TEXT    PRIMARY KEY,
    code_hash  TEXT    NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL,
    sent_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    token_hash TEXT    NOT NULL UNIQUE,
    device     TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE wabas (
    id                     BIGINT PRIMARY KEY,
    name                   TEXT    NOT NULL,
    auto_approve_templates BIGINT NOT NULL DEFAULT 0,
    override_callback_uri  TEXT,
    override_verify_token  TEXT,
    created_at             BIGINT NOT NULL
);

CREATE TABLE apps (
    id           BIGINT PRIMARY KEY,
    waba_id      BIGINT NOT NULL REFERENCES wabas (id),
    webhook_url  TEXT    NOT NULL,
    verify_token TEXT    NOT NULL,
    app_secret   TEXT    NOT NULL,
    subscribed   BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL
);

CREATE TABLE business_tokens (
    id         BIGINT PRIMARY KEY,
    waba_id    BIGINT NOT NULL REFERENCES wabas (id),
    token_hash TEXT    NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE chats (
    id         BIGINT PRIMARY KEY,
    kind       TEXT    NOT NULL,
    direct_key TEXT    UNIQUE,
    subject    TEXT,
    photo      BIGINT,
    last_seq   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX chats_photo ON chats (photo) WHERE photo IS NOT NULL;

CREATE TABLE chat_members (
    chat_id       BIGINT NOT NULL REFERENCES chats (id),
    account_id    BIGINT NOT NULL REFERENCES accounts (id),
    role          TEXT    NOT NULL,
    joined_at     BIGINT NOT NULL,
    left_at       BIGINT,
    left_seq      BIGINT,
    last_read_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, account_id)
);
CREATE INDEX chat_members_account ON chat_members (account_id);

CREATE TABLE messages (
    id         BIGINT PRIMARY KEY,
    chat_id    BIGINT NOT NULL REFERENCES chats (id),
    seq        BIGINT NOT NULL,
    sender_id  BIGINT NOT NULL REFERENCES accounts (id),
    kind       TEXT    NOT NULL,
    content    TEXT    NOT NULL,
    context    TEXT,
    forwarded  BIGINT NOT NULL DEFAULT 0,
    client_id  TEXT,
    media_id   BIGINT,
    callback_data TEXT,
    category   TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_chat_seq ON messages (chat_id, seq);
CREATE UNIQUE INDEX messages_client_id ON messages (sender_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_media ON messages (media_id) WHERE media_id IS NOT NULL;

CREATE TABLE receipts (
    message_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    status     BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, account_id)
);

CREATE TABLE events (
    account_id BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    kind       TEXT    NOT NULL,
    chat_id    BIGINT,
    message_id BIGINT,
    payload    TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, seq)
);

CREATE TABLE media (
    id         BIGINT PRIMARY KEY,
    owner_id   BIGINT NOT NULL,
    mime_type  TEXT    NOT NULL,
    file_size  BIGINT NOT NULL,
    sha256     TEXT    NOT NULL,
    filename   TEXT,
    created_at BIGINT NOT NULL
);

-- Webhook deliveries: one row per (event, app), written in the transaction that caused the
-- event; workers claim due rows with a lease and record every attempt.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    app_id          BIGINT NOT NULL REFERENCES apps (id),
    event           TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending',
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_app ON outbox (app_id, id);

CREATE TABLE webhook_attempts (
    outbox_id   BIGINT NOT NULL REFERENCES outbox (id),
    attempt     BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    status_code BIGINT,
    error       TEXT,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (outbox_id, attempt)
);

-- The customer service window: when a person last wrote to a business number.
CREATE TABLE service_windows (
    business_id     BIGINT NOT NULL REFERENCES accounts (id),
    person_id       BIGINT NOT NULL REFERENCES accounts (id),
    last_inbound_at BIGINT NOT NULL,
    PRIMARY KEY (business_id, person_id)
);

-- Message templates: reviewed before use; one row per name and language.
CREATE TABLE templates (
    id               BIGINT PRIMARY KEY,
    waba_id          BIGINT NOT NULL REFERENCES wabas (id),
    name             TEXT    NOT NULL,
    language         TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    parameter_format TEXT    NOT NULL,
    components       TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    rejected_reason  TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX templates_name ON templates (waba_id, name, language);

-- A business number's profile beyond the account's about line and photo.
CREATE TABLE business_profiles (
    account_id  BIGINT PRIMARY KEY REFERENCES accounts (id),
    address     TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    websites    TEXT    NOT NULL DEFAULT '[]',
    vertical    TEXT    NOT NULL DEFAULT 'OTHER'
);
