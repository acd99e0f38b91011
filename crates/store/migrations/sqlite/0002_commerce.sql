-- Commerce: one catalog per WABA with its products, commerce settings per phone number,
-- orders a business asks a person to pay (order_details), payments through a provider, and the
-- operator's fee ledger. Money is INTEGER minor units with an ISO 4217 currency; times are
-- INTEGER Unix milliseconds.

CREATE TABLE catalogs (
    id         INTEGER PRIMARY KEY,
    waba_id    INTEGER NOT NULL UNIQUE REFERENCES wabas (id),
    name       TEXT   NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE products (
    id            INTEGER PRIMARY KEY,
    catalog_id    INTEGER NOT NULL REFERENCES catalogs (id),
    retailer_id   TEXT   NOT NULL,
    name          TEXT   NOT NULL,
    description   TEXT   NOT NULL,
    price         INTEGER NOT NULL,
    sale_price    INTEGER,
    currency      TEXT   NOT NULL,
    image_url     TEXT,
    extra_images  TEXT   NOT NULL,
    url           TEXT,
    availability  TEXT   NOT NULL,
    inventory     INTEGER,
    item_group_id TEXT,
    variant       TEXT   NOT NULL,
    collections   TEXT   NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (catalog_id, retailer_id)
);

CREATE TABLE commerce_settings (
    account_id         INTEGER PRIMARY KEY REFERENCES accounts (id),
    is_cart_enabled    INTEGER NOT NULL,
    is_catalog_visible INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    business_id    INTEGER NOT NULL REFERENCES accounts (id),
    person_id      INTEGER NOT NULL REFERENCES accounts (id),
    reference_id   TEXT   NOT NULL,
    currency       TEXT   NOT NULL,
    total          INTEGER NOT NULL,
    details        TEXT   NOT NULL,
    status         TEXT   NOT NULL,
    payment_status TEXT   NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (business_id, reference_id)
);

CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    provider       TEXT   NOT NULL,
    transaction_id TEXT   NOT NULL UNIQUE,
    status         TEXT   NOT NULL,
    amount         INTEGER NOT NULL,
    currency       TEXT   NOT NULL,
    settle_at      INTEGER,
    error          TEXT,
    message_id     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX payments_due ON payments (status, settle_at);

CREATE TABLE fee_ledger (
    id          INTEGER PRIMARY KEY,
    payment_id  INTEGER NOT NULL REFERENCES payments (id),
    kind        TEXT   NOT NULL,
    business_id INTEGER NOT NULL,
    currency    TEXT   NOT NULL,
    gross       INTEGER NOT NULL,
    fee         INTEGER NOT NULL,
    net         INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (payment_id, kind)
);
