-- Rating: what each business message will cost a recipient when it is delivered, decided when
-- it is sent and written in the same transaction as the message; the delivery that rates it
-- turns it into a ledger row and deletes it. Free entry points opened by click-to-chat ads,
-- and the per-number monthly count of service messages that later rule sets charge beyond a
-- free allowance.

CREATE TABLE billing_pending (
    message_id   INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL,
    waba_id      INTEGER NOT NULL,
    plan         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (message_id, recipient_id)
);

-- A person who came from a click-to-chat ad (`referral_at`) and the business's first reply
-- after it (`replied_at`): replied within 24 hours, everything is free for 72 hours from it.
CREATE TABLE billing_entry_points (
    business_id INTEGER NOT NULL,
    person_id   INTEGER NOT NULL,
    referral_at INTEGER NOT NULL,
    replied_at  INTEGER,
    PRIMARY KEY (business_id, person_id)
);

CREATE TABLE billing_service_volume (
    phone_number_id INTEGER NOT NULL,
    month           TEXT    NOT NULL,
    volume          INTEGER NOT NULL,
    PRIMARY KEY (phone_number_id, month)
);

-- The pricing model (`PMP`, `CBP`) a rated message was priced under, for its status webhooks.
ALTER TABLE billing_ledger ADD COLUMN pricing_model TEXT;
