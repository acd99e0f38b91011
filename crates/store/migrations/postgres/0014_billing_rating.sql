-- Rating: what each business message will cost a recipient when it is delivered, decided when
-- it is sent and written in the same transaction as the message; the delivery that rates it
-- turns it into a ledger row and deletes it. Free entry points opened by click-to-chat ads,
-- and the per-number monthly count of service messages that later rule sets charge beyond a
-- free allowance.

CREATE TABLE billing_pending (
    message_id   BIGINT  NOT NULL,
    recipient_id BIGINT  NOT NULL,
    waba_id      BIGINT  NOT NULL,
    plan         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (message_id, recipient_id)
);

-- A person who came from a click-to-chat ad (`referral_at`) and the business's first reply
-- after it (`replied_at`): replied within 24 hours, everything is free for 72 hours from it.
CREATE TABLE billing_entry_points (
    business_id BIGINT  NOT NULL,
    person_id   BIGINT  NOT NULL,
    referral_at BIGINT  NOT NULL,
    replied_at  BIGINT,
    PRIMARY KEY (business_id, person_id)
);

CREATE TABLE billing_service_volume (
    phone_number_id BIGINT  NOT NULL,
    month           TEXT    NOT NULL,
    volume          BIGINT  NOT NULL,
    PRIMARY KEY (phone_number_id, month)
);

-- The pricing model (`PMP`, `CBP`) a rated message was priced under, for its status webhooks.
ALTER TABLE billing_ledger ADD COLUMN pricing_model TEXT;
