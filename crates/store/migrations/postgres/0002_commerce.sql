-- Commerce: one catalog per WABA with its products, commerce settings per phone number,
-- orders a business asks a person to pay (order_details), payments through a provider, and the
-- operator's fee ledger. Money is BIGINT minor units with an ISO 4217 currency; times are
-- BIGINT Unix milliseconds.

CREATE TABLE catalogs (
    id         BIGINT PRIMARY KEY,
    waba_id    BIGINT NOT NULL UNIQUE REFERENCES wabas (id),
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE products (
    id            BIGINT PRIMARY KEY,
    catalog_id    BIGINT NOT NULL REFERENCES catalogs (id),
    retailer_id   TEXT   NOT NULL,
    name          TEXT   NOT NULL,
    description   TEXT   NOT NULL,
    price         BIGINT NOT NULL,
    sale_price    BIGINT,
    currency      TEXT   NOT NULL,
    image_url     TEXT,
    extra_images  TEXT   NOT NULL,
    url           TEXT,
    availability  TEXT   NOT NULL,
    inventory     BIGINT,
    item_group_id TEXT,
    variant       TEXT   NOT NULL,
    collections   TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (catalog_id, retailer_id)
);

CREATE TABLE commerce_settings (
    account_id         BIGINT PRIMARY KEY REFERENCES accounts (id),
    is_cart_enabled    BIGINT NOT NULL,
    is_catalog_visible BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE orders (
    id             BIGINT PRIMARY KEY,
    business_id    BIGINT NOT NULL REFERENCES accounts (id),
    person_id      BIGINT NOT NULL REFERENCES accounts (id),
    reference_id   TEXT   NOT NULL,
    currency       TEXT   NOT NULL,
    total          BIGINT NOT NULL,
    details        TEXT   NOT NULL,
    status         TEXT   NOT NULL,
    payment_status TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (business_id, reference_id)
);

CREATE TABLE payments (
    id             BIGINT PRIMARY KEY,
    order_id       BIGINT NOT NULL REFERENCES orders (id),
    provider       TEXT   NOT NULL,
    transaction_id TEXT   NOT NULL UNIQUE,
    status         TEXT   NOT NULL,
    amount         BIGINT NOT NULL,
    currency       TEXT   NOT NULL,
    settle_at      BIGINT,
    error          TEXT,
    message_id     BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX payments_due ON payments (status, settle_at);

CREATE TABLE fee_ledger (
    id          BIGINT PRIMARY KEY,
    payment_id  BIGINT NOT NULL REFERENCES payments (id),
    kind        TEXT   NOT NULL,
    business_id BIGINT NOT NULL,
    currency    TEXT   NOT NULL,
    gross       BIGINT NOT NULL,
    fee         BIGINT NOT NULL,
    net         BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (payment_id, kind)
);
