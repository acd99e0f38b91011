-- Click-to-chat ad campaigns on Status: the campaigns a WABA's number runs (creative media,
-- copy, targeting, schedule, budget and bid in minor units of the WABA's currency, review
-- status), their daily counters, the frequency-cap rows (person, campaign, day: deleted once
-- the day is over), the ads a person hid, reports about ads, referral tokens handed out on a
-- tap or link open, and the ad a chat came from. Times are Unix milliseconds.

CREATE TABLE ad_campaigns (
    id               BIGINT PRIMARY KEY,
    waba_id          BIGINT  NOT NULL REFERENCES wabas (id),
    number_id        BIGINT  NOT NULL REFERENCES accounts (id),
    code             TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    status           TEXT    NOT NULL,
    rejection_reason TEXT,
    media_id         BIGINT  NOT NULL,
    media_kind       TEXT    NOT NULL,
    thumbnail_id     BIGINT,
    headline         TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    button_text      TEXT    NOT NULL,
    welcome_message  TEXT    NOT NULL,
    countries        TEXT    NOT NULL,
    languages        TEXT    NOT NULL,
    starts_at        BIGINT,
    ends_at          BIGINT,
    daily_budget     BIGINT  NOT NULL,
    bid_cpm          BIGINT  NOT NULL,
    currency         TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX ad_campaigns_waba ON ad_campaigns (waba_id, id);
CREATE INDEX ad_campaigns_status ON ad_campaigns (status, id);

CREATE TABLE ad_days (
    campaign_id   BIGINT  NOT NULL REFERENCES ad_campaigns (id),
    day           TEXT    NOT NULL,
    impressions   BIGINT  NOT NULL DEFAULT 0,
    taps          BIGINT  NOT NULL DEFAULT 0,
    chats_started BIGINT  NOT NULL DEFAULT 0,
    spend_micros  BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day)
);

CREATE TABLE ad_frequency (
    person_id   BIGINT  NOT NULL,
    campaign_id BIGINT  NOT NULL,
    day         TEXT    NOT NULL,
    shown       BIGINT  NOT NULL,
    day_ends_at BIGINT  NOT NULL,
    PRIMARY KEY (person_id, campaign_id, day)
);
CREATE INDEX ad_frequency_day_end ON ad_frequency (day_ends_at);

CREATE TABLE ad_hidden (
    person_id   BIGINT  NOT NULL,
    campaign_id BIGINT  NOT NULL,
    PRIMARY KEY (person_id, campaign_id)
);

CREATE TABLE ad_reports (
    campaign_id BIGINT  NOT NULL REFERENCES ad_campaigns (id),
    reporter_id BIGINT  NOT NULL,
    reason      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (campaign_id, reporter_id)
);

CREATE TABLE ad_referrals (
    token       TEXT    PRIMARY KEY,
    campaign_id BIGINT  NOT NULL REFERENCES ad_campaigns (id),
    person_id   BIGINT  NOT NULL,
    chat_id     BIGINT  NOT NULL,
    via         TEXT    NOT NULL,
    ctwa_clid   TEXT,
    created_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX ad_referrals_created ON ad_referrals (created_at);

CREATE TABLE ad_chat_origins (
    chat_id     BIGINT PRIMARY KEY,
    campaign_id BIGINT  NOT NULL REFERENCES ad_campaigns (id),
    via         TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
