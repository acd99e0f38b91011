-- Billing: rate cards and their versions, each WABA's billing account, the append-only ledger,
-- and the rollups analytics read. Rates and amounts are integers in millionths of the card's
-- currency unit ("micros": USD 0.0034 is 3400); they round to minor units only on invoices.
-- Times are Unix milliseconds; rollup buckets are Unix seconds (UTC).

CREATE TABLE rate_cards (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    currency       TEXT    NOT NULL,
    effective_from INTEGER NOT NULL,
    source         TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (name, effective_from)
);

-- One rate per market, category and volume tier (`tier_from`: the month's volume from which
-- the rate applies; 0 for the base rate).
CREATE TABLE rate_card_rows (
    card_id     INTEGER NOT NULL REFERENCES rate_cards (id),
    market      TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    tier_from   INTEGER NOT NULL,
    rate_micros INTEGER NOT NULL,
    PRIMARY KEY (card_id, market, category, tier_from)
);

-- A WABA's card (by name), discount in basis points, credit limit (NULL: no limit, the balance
-- is not enforced; 0: prepaid), low-balance threshold and the time zone its months and
-- invoices follow. A WABA without a row is rated on the default card and not limited.
CREATE TABLE billing_accounts (
    waba_id               INTEGER PRIMARY KEY REFERENCES wabas (id),
    card_name             TEXT    NOT NULL DEFAULT 'default',
    discount_bp           INTEGER NOT NULL DEFAULT 0,
    credit_limit_micros   INTEGER,
    low_balance_micros    INTEGER NOT NULL DEFAULT 0,
    low_balance_warned_at INTEGER,
    timezone              TEXT    NOT NULL DEFAULT 'UTC',
    updated_at            INTEGER NOT NULL
);

-- Every change to a WABA's balance: `amount_micros` is signed (a message's charge is negative,
-- a top-up positive); the balance is their sum. A message is rated once per recipient.
CREATE TABLE billing_ledger (
    id              INTEGER PRIMARY KEY,
    waba_id         INTEGER NOT NULL REFERENCES wabas (id),
    kind            TEXT    NOT NULL,
    message_id      INTEGER,
    recipient_id    INTEGER,
    phone_number_id INTEGER,
    country         TEXT,
    market          TEXT,
    category        TEXT,
    pricing_type    TEXT,
    tier            TEXT,
    card_id         INTEGER,
    template_id     INTEGER,
    amount_micros   INTEGER NOT NULL,
    currency        TEXT    NOT NULL,
    note            TEXT,
    actor           TEXT,
    at              INTEGER NOT NULL
);
CREATE UNIQUE INDEX billing_ledger_message ON billing_ledger (message_id, recipient_id)
    WHERE kind = 'message';
CREATE INDEX billing_ledger_waba ON billing_ledger (waba_id, at);

-- Monthly volume per WABA and category, the month in the WABA's time zone ('2026-07'): the
-- volume tiers read it.
CREATE TABLE billing_volume (
    waba_id  INTEGER NOT NULL,
    month    TEXT    NOT NULL,
    category TEXT    NOT NULL,
    volume   INTEGER NOT NULL,
    PRIMARY KEY (waba_id, month, category)
);

-- `pricing_analytics` per half hour, written with each rated message.
CREATE TABLE pricing_rollup (
    waba_id         INTEGER NOT NULL,
    bucket          INTEGER NOT NULL,
    phone_number_id INTEGER NOT NULL,
    country         TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    pricing_type    TEXT    NOT NULL,
    tier            TEXT    NOT NULL,
    volume          INTEGER NOT NULL,
    cost_micros     INTEGER NOT NULL,
    PRIMARY KEY (waba_id, bucket, phone_number_id, country, category, pricing_type, tier)
);

-- `analytics` (sent, delivered) per half hour.
CREATE TABLE message_rollup (
    waba_id         INTEGER NOT NULL,
    bucket          INTEGER NOT NULL,
    phone_number_id INTEGER NOT NULL,
    country         TEXT    NOT NULL,
    sent            INTEGER NOT NULL,
    delivered       INTEGER NOT NULL,
    PRIMARY KEY (waba_id, bucket, phone_number_id, country)
);

-- `template_analytics` per day.
CREATE TABLE template_rollup (
    waba_id     INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    template_id INTEGER NOT NULL,
    sent        INTEGER NOT NULL,
    delivered   INTEGER NOT NULL,
    read        INTEGER NOT NULL,
    clicked     INTEGER NOT NULL,
    cost_micros INTEGER NOT NULL,
    PRIMARY KEY (waba_id, bucket, template_id)
);
