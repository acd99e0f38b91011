-- Trust: throttles against guessing and abuse, rate limits every node shares, and alerts
-- about failed console sign-ins.
--
-- throttle_hits: one row per attempt (a verification code asked for, a wrong code or
-- password), by rule (scope) and subject (a number, an address, an email). Attempts are
-- counted over a sliding window, so the rows outlive the codes; rows older than a day are
-- pruned.
CREATE TABLE throttle_hits (
    id      BIGINT PRIMARY KEY,
    scope   TEXT   NOT NULL,
    subject TEXT   NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX throttle_hits_subject ON throttle_hits (scope, subject, at);
CREATE INDEX throttle_hits_at ON throttle_hits (at);

-- rate_limits: the Cloud API's buckets (per business number, person_id 0, and per number
-- and person), as the time each is full again (microseconds), written by every node's sync
-- round; used_us is what the last write added.
CREATE TABLE rate_limits (
    number_id  BIGINT NOT NULL,
    person_id  BIGINT NOT NULL,
    full_at_us BIGINT NOT NULL,
    used_us    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (number_id, person_id)
);
CREATE INDEX rate_limits_updated ON rate_limits (updated_at);

-- sign_in_alerts: repeated failed sign-ins of an agent, for the WABA's admins.
CREATE TABLE sign_in_alerts (
    id           BIGINT PRIMARY KEY,
    waba_id      BIGINT NOT NULL REFERENCES wabas (id),
    agent_id     BIGINT NOT NULL REFERENCES agents (id),
    failures     BIGINT NOT NULL,
    address      TEXT   NOT NULL,
    locked_until BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX sign_in_alerts_waba ON sign_in_alerts (waba_id, created_at);
