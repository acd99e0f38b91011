-- Limits and quality: blocks and reports between accounts, people's marketing opt-outs, each
-- WABA's messaging limit tier and its history, the unique recipients of business-initiated
-- messages in the rolling 24 hours (one row per WABA and person, so a send reads and writes
-- one key), the daily peak of that count, each number's quality rating and the people it
-- reached per day (the quality rating's denominator). Times are Unix milliseconds; days are
-- Unix days (UTC).

-- `blocker_id` blocked `blocked_id`: a person blocking a business number (or anyone they chat
-- with), or a business number blocking a person through `/{phone-number-id}/block_users`.
CREATE TABLE blocks (
    blocker_id BIGINT  NOT NULL REFERENCES accounts (id),
    blocked_id BIGINT  NOT NULL REFERENCES accounts (id),
    reason     TEXT,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id, created_at);

-- A person reported an account (kept when the block is lifted).
CREATE TABLE reports (
    id          BIGINT PRIMARY KEY,
    reporter_id BIGINT  NOT NULL REFERENCES accounts (id),
    reported_id BIGINT  NOT NULL REFERENCES accounts (id),
    reason      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX reports_reported ON reports (reported_id, created_at);

-- A person wants none of this WABA's marketing templates.
CREATE TABLE marketing_opt_outs (
    person_id  BIGINT  NOT NULL REFERENCES accounts (id),
    waba_id    BIGINT  NOT NULL REFERENCES wabas (id),
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (person_id, waba_id)
);

-- A WABA's messaging limit tier once it differs from the configured default or was used;
-- `evaluated_at` is when the last upgrade evaluation ran (every 6 hours).
CREATE TABLE messaging_tiers (
    waba_id      BIGINT PRIMARY KEY REFERENCES wabas (id),
    tier         TEXT    NOT NULL,
    evaluated_at BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);

-- Every change of a WABA's tier: `reason` is `upgrade` or `operator`.
CREATE TABLE messaging_tier_changes (
    id       BIGINT PRIMARY KEY,
    waba_id  BIGINT  NOT NULL REFERENCES wabas (id),
    old_tier TEXT    NOT NULL,
    new_tier TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    at       BIGINT  NOT NULL
);
CREATE INDEX messaging_tier_changes_waba ON messaging_tier_changes (waba_id, id);

-- The last business-initiated message of a WABA to a person; those newer than 24 hours are
-- the WABA's unique recipients in the rolling window.
CREATE TABLE limit_recipients (
    waba_id   BIGINT  NOT NULL,
    person_id BIGINT  NOT NULL,
    last_at   BIGINT  NOT NULL,
    PRIMARY KEY (waba_id, person_id)
);
CREATE INDEX limit_recipients_recent ON limit_recipients (waba_id, last_at);

-- The highest unique-recipient count a WABA reached on a day (upgrade evaluation).
CREATE TABLE limit_peaks (
    waba_id BIGINT  NOT NULL,
    day     BIGINT  NOT NULL,
    peak    BIGINT  NOT NULL,
    PRIMARY KEY (waba_id, day)
);

-- A number's quality rating as last computed, with its inputs.
CREATE TABLE number_quality (
    business_id  BIGINT PRIMARY KEY REFERENCES accounts (id),
    rating       TEXT    NOT NULL,
    signals      BIGINT  NOT NULL,
    reach        BIGINT  NOT NULL,
    evaluated_at BIGINT  NOT NULL
);

-- The people a business number sent to, per day.
CREATE TABLE number_reach (
    business_id BIGINT  NOT NULL,
    day         BIGINT  NOT NULL,
    person_id   BIGINT  NOT NULL,
    PRIMARY KEY (business_id, day, person_id)
);
